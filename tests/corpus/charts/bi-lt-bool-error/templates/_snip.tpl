{{- define "snip" }}{{ lt true false }}{{ end }}
