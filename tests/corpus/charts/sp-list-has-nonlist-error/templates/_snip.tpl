{{- define "snip" }}{{ has 1 "abc" }}{{ end }}
