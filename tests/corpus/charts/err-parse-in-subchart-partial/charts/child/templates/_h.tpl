{{- define "x" }}{{ if }}{{ end }}
