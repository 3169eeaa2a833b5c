{{- define "snip" }}{{ `abc }}{{ end }}
