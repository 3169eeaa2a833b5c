{{- define "nv" }}{{ .missing }}{{ end }}
