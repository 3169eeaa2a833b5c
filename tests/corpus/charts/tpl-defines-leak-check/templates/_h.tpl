{{- define "h" }}chart-h{{ end }}
