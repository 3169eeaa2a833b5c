{{- define "snip" }}{{ upper 5 }}{{ end }}
