{{- define "snip" }}{{ toYaml .Values }}
---
{{ .Values.YAML }}{{ end }}
