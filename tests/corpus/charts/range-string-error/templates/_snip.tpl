{{- define "snip" }}{{ range "abc" }}{{ . }}{{ end }}{{ end }}
