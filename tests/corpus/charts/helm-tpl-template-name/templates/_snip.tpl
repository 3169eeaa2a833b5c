{{- define "snip" }}{{ tpl "{{ .Template.Name }}|{{ .Template.BasePath }}" . }}|{{ tpl "{{ .Template.Name }}" (dict "Template" (dict "Name" "custom")) }}{{ end }}
