{{- define "snip" }}{{ dig "b" "c" "def" .Values.a }}{{ end }}
