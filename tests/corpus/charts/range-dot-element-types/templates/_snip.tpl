{{- define "snip" }}{{ range .Values.l }}{{ typeOf . }};{{ end }}{{ end }}
