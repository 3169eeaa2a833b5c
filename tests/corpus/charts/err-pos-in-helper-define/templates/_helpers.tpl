{{- define "h.name" -}}
{{- $x := .Values.name -}}
{{ $x | upper }}
{{- end }}
