{{- define "snip" }}{{ mod 1 0 }}{{ end }}
