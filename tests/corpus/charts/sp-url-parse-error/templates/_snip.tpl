{{- define "snip" }}{{ urlParse "http://[::1" }}{{ end }}
