{{- define "snip" }}{{ toYamlPretty .Values.m }}
---
{{ toYamlPretty (list) }}|{{ toYamlPretty "s" }}|{{ toYamlPretty nil }}{{ end }}
