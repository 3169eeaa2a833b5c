{{- define "snip" }}{{ ne 1 2 3 }}{{ end }}
