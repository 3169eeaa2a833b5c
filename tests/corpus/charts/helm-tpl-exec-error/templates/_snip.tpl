{{- define "snip" }}{{ tpl "{{ .Values.a.b.c }}" . }}{{ end }}
