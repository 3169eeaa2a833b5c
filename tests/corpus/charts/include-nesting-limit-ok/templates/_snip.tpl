{{- define "snip" }}{{ include "cd" 1000 }}{{ end }}
