{{- define "helper" }}H{{ . }}{{ end }}
