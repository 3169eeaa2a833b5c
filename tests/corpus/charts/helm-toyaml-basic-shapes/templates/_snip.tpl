{{- define "snip" }}{{ toYaml .Values.m }}
---
{{ toYaml .Values.m.a }}
---
{{ toYaml "s" }}|{{ toYaml 1 }}|{{ toYaml nil }}|{{ toYaml (list) }}|{{ toYaml (dict) }}|{{ toYaml true }}{{ end }}
