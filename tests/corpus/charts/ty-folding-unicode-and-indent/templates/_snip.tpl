{{- define "snip" }}{{ toYaml .Values.m }}
---
{{ toYaml .Values.m | indent 6 }}{{ end }}
