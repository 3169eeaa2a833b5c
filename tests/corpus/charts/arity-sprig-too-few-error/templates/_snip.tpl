{{- define "snip" }}{{ replace "a" "b" }}{{ end }}
