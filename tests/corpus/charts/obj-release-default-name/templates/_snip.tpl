{{- define "snip" }}{{ .Release.Name }}{{ end }}
