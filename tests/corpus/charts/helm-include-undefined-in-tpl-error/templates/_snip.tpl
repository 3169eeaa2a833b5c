{{- define "snip" }}{{ tpl "{{ include \"nope\" . }}" . }}{{ end }}
