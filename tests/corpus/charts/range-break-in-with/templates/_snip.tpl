{{- define "snip" }}{{ range list 1 2 3 }}{{ with . }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}{{ end }}{{ end }}
