{{- define "snip" }}{{ template .Values.name }}{{ end }}
