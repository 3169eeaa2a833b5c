{{- define "snip" }}{{ .Values.pair }}{{ end }}
