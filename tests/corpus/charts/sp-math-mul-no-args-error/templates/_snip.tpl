{{- define "snip" }}{{ mul }}{{ end }}
