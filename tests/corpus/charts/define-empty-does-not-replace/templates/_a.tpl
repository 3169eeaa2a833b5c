{{- define "d" }}{{ end }}
