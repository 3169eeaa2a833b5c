{{- define "snip" }}{{ append .Values.missing 1 }}{{ end }}
