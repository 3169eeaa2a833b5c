{{- define "snip" }}{{ toYaml .Values.root }}
---
{{ toYaml .Values.root | indent 2 }}
---
{{ toYaml .Values.root.list_of_maps | nindent 4 }}{{ end }}
