{{- define "snip" }}{{ 1 | 2 }}{{ end }}
