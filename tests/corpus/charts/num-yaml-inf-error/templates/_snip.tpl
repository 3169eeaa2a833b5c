{{- define "snip" }}{{ .Values.x }}{{ end }}
