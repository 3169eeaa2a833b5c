{{- define "snip" }}{{ $x = 1 }}{{ end }}
