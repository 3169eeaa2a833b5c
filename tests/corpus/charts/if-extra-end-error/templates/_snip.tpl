{{- define "snip" }}{{ if true }}x{{ end }}{{ end }}{{ end }}
