{{- define "snip" }}{{ include .Values.name 1 }}|{{ include (printf "%s" "helper") 2 }}{{ end }}
