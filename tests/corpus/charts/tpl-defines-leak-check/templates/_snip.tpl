{{- define "snip" }}{{ tpl "{{ define \"h\" }}tpl-h{{ end }}{{ include \"h\" . }}" . }}|{{ include "h" . }}{{ end }}
