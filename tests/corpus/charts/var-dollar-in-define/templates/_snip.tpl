{{- define "inner" }}[{{ $ }}|{{ . }}]{{ end -}}
{{ include "inner" "arg" }}{{ template "inner" 5 }}|{{ $.Values.v }}