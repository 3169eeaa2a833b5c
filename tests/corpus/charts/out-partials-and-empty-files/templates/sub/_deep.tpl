{{- define "z" }}{{ end }}
