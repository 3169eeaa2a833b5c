{{- define "snip" }}{{ include "cd" 1001 }}{{ end }}
