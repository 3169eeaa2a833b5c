{{- define "ws" }}   {{ end }}
{{- define "cm" }}{{/* nothing */}}{{ end }}
{{- define "txt" }}x{{ end }}
