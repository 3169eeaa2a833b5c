{{- define "snip" }}{{ with .Values.a }}A={{ . }}{{ else }}else:{{ .Values.b }}{{ end }}|{{ with .Values.b }}{{ . }}{{ end }}{{ end }}
