{{- define "h" }}{{ end }}
