{{- define "snip" }}{{ chunk 0 (list 1 2) | toJson }}{{ end }}
