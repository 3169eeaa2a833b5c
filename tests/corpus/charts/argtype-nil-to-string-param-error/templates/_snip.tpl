{{- define "snip" }}{{ upper .Values.missing }}{{ end }}
