{{- define "snip" }}{{ .Values.Table "nope" }}{{ end }}
