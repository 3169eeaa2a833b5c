{{- define "snip" }}{{ $x := .Values.missing }}[{{ $x.foo }}][{{ $x.foo.bar }}][{{ (.Values.a).b }}][{{ (.Values.a).b.c }}]{{ end }}
