{{- define "snip" }}{{ index (list 1 2) -1 }}{{ end }}
