{{- define "snip" }}{{ index (list 1 2) 2 }}{{ end }}
