{{- define "snip" }}{{ .Template.Name }}|{{ .Template.BasePath }}|{{ include "who" . }}|{{ toJson .Template }}{{ end }}
