{{- define "x" }}defined{{ end }}
not emitted text
