{{- define "snip" }}{{ include "need" "thing" }}{{ end }}
