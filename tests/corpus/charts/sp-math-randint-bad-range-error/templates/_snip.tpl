{{- define "snip" }}{{ randInt 5 5 }}{{ end }}
