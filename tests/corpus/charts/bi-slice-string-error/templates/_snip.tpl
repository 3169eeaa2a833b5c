{{- define "snip" }}{{ slice "abc" 1 2 }}{{ end }}
