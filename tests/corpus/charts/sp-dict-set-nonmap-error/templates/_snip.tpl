{{- define "snip" }}{{ set (list) "a" 1 }}{{ end }}
