{{- define "snip" }}{{ toYamlPretty .Values.m }}
---
{{ mustToYaml .Values.m }}{{ end }}
