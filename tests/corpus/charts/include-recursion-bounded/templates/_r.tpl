{{- define "countdown" }}{{ . }}{{ if gt . 0 }},{{ include "countdown" (sub . 1) }}{{ end }}{{ end }}
