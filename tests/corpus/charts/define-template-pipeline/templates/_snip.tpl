{{- define "show" }}<{{ . }}>{{ end -}}
{{- define "nodot" }}[{{ . }}]{{ end -}}
{{ template "show" "x" }}{{ template "show" (list 1 2) }}{{ template "nodot" }}{{ include "show" 3 | upper }}