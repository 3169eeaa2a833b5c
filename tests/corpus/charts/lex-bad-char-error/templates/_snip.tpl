{{- define "snip" }}{{ .Values.a ; .Values.b }}{{ end }}
