{{- define "snip" }}{{ ternary "a" "b" .Values.flag }}{{ end }}
