{{- define "snip" }}{{ required "value x is required!" .Values.x }}{{ end }}
