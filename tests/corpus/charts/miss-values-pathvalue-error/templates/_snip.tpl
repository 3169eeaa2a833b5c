{{- define "snip" }}{{ .Values.PathValue "a.zz" }}{{ end }}
