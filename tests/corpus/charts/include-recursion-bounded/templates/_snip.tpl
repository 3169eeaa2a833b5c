{{- define "snip" }}{{ include "countdown" 6 }}{{ end }}
