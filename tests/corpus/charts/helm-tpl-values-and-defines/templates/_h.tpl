{{- define "h" }}[helper]{{ end }}
