{{- define "who" }}parent-_a{{ end }}
