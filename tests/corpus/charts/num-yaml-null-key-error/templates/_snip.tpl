{{- define "snip" }}{{ .Values.m }}{{ end }}
