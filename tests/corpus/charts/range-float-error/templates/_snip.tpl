{{- define "snip" }}{{ range .Values.num }}{{ . }}{{ end }}{{ end }}
