{{- define "snip" }}{{ template "show" }}|{{ include "show" nil }}|{{ template "show" .Values.missing }}|{{ template "show" (list) }}{{ end }}
