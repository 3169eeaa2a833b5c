{{- define "snip" }}{{ not 1 2 }}{{ end }}
