{{- define "snip" }}{{ .Values.my-key }}{{ end }}
