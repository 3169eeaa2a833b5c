{{- define "snip" }}{{ toJson .Values.m }}
---
{{ toPrettyJson .Values.m }}
---
{{ toRawJson .Values.m }}
---
{{ mustToPrettyJson (list) }}|{{ mustToRawJson (dict "h" "<>") }}|{{ toPrettyJson "s" }}{{ end }}
