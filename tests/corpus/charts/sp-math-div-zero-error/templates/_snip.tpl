{{- define "snip" }}{{ div 1 0 }}{{ end }}
