{{- define "snip" }}{{ first (dict "a" 1) }}{{ end }}
