{{- define "ping" }}{{ if gt . 0 }}{{ include "pong" (sub . 1) }}{{ else }}end{{ end }}{{ end }}
{{- define "pong" }}{{ if gt . 0 }}{{ include "ping" (sub . 1) }}{{ else }}end{{ end }}{{ end }}
