{{- define "snip" }}{{ $x := .Values.missing }}{{ index $x "k" }}{{ end }}
