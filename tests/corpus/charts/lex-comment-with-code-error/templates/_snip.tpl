{{- define "snip" }}{{/* c */ 1 }}{{ end }}
