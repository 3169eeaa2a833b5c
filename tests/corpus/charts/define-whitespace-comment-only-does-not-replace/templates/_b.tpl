{{- define "ws" }}from-b-ws{{ end }}
{{- define "cm" }}from-b-cm{{ end }}
{{- define "txt" }}from-b-txt{{ end }}
