{{- define "snip" }}{{ divf 1 0 }}{{ end }}
