{{- define "snip" }}{{ print (add 1 2 }}{{ end }}
