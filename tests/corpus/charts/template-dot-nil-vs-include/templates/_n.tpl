{{- define "show" }}[{{ . }}|{{ typeOf . }}]{{ end }}
