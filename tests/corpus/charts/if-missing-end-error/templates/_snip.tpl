{{- define "snip" }}{{ if true }}x{{ end }}
