{{- define "snip" }}{{ .Values.name }}{{ end }}
