{{- define "snip" }}{{ include "x" }}{{ end }}
