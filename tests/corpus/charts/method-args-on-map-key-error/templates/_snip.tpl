{{- define "snip" }}{{ .Values.a.b "x" }}{{ end }}
