{{- define "show" }}[{{ . }}]{{ end }}
