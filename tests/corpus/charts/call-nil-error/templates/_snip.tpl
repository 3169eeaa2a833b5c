{{- define "snip" }}{{ call .Values.missing }}{{ end }}
