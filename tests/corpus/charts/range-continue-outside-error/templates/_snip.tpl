{{- define "snip" }}{{ if true }}{{ continue }}{{ end }}{{ end }}
