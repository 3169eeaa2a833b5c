{{- define "snip" }}{{ "a" | .Values }}{{ end }}
