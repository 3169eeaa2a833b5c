{{- define "snip" }}ok{{ end }}
