{{- define "snip" }}{{ ternary 1 2 "yes" }}{{ end }}
