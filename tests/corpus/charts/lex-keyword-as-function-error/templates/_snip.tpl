{{- define "snip" }}{{ end }}{{ end }}
