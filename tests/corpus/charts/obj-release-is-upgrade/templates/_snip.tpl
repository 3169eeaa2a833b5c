{{- define "snip" }}{{ .Release }}|{{ toJson .Release }}{{ end }}
