{{- define "snip" }}{{ range .Values.n }}{{ . }}{{ typeOf . }};{{ end }}{{ end }}
