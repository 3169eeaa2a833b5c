{{- define "snip" }}{{ substr 4 2 "abcdef" }}{{ end }}
