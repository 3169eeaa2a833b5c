{{- define "snip" }}{{ nil }}{{ end }}
