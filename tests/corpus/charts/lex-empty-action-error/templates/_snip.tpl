{{- define "snip" }}{{ }}{{ end }}
