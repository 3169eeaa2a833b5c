{{- define "snip" }}{{ .Values }}{{ end }}
