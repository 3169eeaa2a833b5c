{{- define "snip" }}{{ include "ping" 1199 }}{{ end }}
