{{- define "snip" }}{{ .Values.replicas }}{{ end }}
