{{- define "snip" }}{{ deepCopy nil }}{{ end }}
