{{- define "snip" }}[{{ include "ws" . }}][{{ include "cm" . }}][{{ include "txt" . }}]{{ end }}
