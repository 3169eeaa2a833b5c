{{- define "snip" }}{{ index (dict "a" 1) 1 }}{{ end }}
