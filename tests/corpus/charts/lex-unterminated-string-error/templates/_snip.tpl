{{- define "snip" }}{{ "abc }}{{ end }}
