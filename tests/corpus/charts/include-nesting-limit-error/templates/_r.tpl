{{- define "cd" }}{{ if gt . 0 }}{{ include "cd" (sub . 1) }}{{ else }}bottom{{ end }}{{ end }}
