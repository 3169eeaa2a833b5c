{{- define "snip" }}{{ tpl "{{ fail \"from tpl\" }}" . }}{{ end }}
