{{- define "snip" }}{{ slice (list 1 2) 1 5 }}{{ end }}
