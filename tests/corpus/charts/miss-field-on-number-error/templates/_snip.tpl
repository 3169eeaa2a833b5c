{{- define "snip" }}{{ .Values.num.x }}{{ end }}
