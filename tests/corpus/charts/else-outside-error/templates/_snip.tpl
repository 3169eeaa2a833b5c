{{- define "snip" }}{{ else }}{{ end }}
