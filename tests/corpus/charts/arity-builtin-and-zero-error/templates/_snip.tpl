{{- define "snip" }}{{ and }}{{ end }}
