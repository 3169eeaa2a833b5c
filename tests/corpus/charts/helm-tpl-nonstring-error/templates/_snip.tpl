{{- define "snip" }}{{ tpl 5 . }}{{ end }}
