{{- define "snip" }}{{ fail 5 }}{{ end }}
