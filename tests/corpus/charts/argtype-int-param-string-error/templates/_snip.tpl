{{- define "snip" }}{{ indent "2" "x" }}{{ end }}
