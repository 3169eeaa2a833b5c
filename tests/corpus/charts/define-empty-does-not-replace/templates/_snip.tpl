{{- define "snip" }}[{{ include "d" . }}]{{ end }}
