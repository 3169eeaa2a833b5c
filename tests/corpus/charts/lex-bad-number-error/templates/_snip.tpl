{{- define "snip" }}{{ 1x2 }}{{ end }}
