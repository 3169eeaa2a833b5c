{{- define "snip" }}{{ toToml .Values }}
---
{{ toToml (dict "s" "q\"uote" "f" 1.5 "i" 3) }}
---
{{ toToml "notamap" }}{{ end }}
