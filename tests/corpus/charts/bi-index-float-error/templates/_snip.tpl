{{- define "snip" }}{{ index (list 1 2) .Values.i }}{{ end }}
