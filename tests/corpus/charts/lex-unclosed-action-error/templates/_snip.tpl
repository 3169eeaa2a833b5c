{{- define "snip" }}{{ .Values.a{{ end }}
