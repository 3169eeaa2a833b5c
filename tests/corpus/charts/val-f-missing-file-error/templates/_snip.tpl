{{- define "snip" }}x{{ end }}
