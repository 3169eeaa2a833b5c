{{- define "snip" }}{{- if eq .Values.kind "a" -}}
  A
{{- else if eq .Values.kind "b" -}}
  B
{{- else -}}
  C
{{- end -}}
|{{- with .Values.kind }} with={{ . }} {{ end -}}|{{ end }}
