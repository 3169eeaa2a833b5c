{{- define "snip" }}{{ template "show" nil }}{{ end }}
