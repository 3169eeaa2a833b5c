{{- define "snip" }}{{ len 5 }}{{ end }}
