{{- define "labels" -}}
app: {{ .name }}
tier: {{ .tier | default "web" }}
{{- end }}
