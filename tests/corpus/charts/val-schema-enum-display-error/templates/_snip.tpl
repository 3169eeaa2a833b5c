{{- define "snip" }}{{ .Values.format }}{{ end }}
