{{- define "snip" }}{{ .Values.ports }}{{ end }}
