{{- define "who" }}parent-_z{{ end }}
