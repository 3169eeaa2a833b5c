{{- define "snip" }}{{ tpl "{{ .Values.x " . }}{{ end }}
