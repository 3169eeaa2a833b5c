{{- define "snip" }}{{ trunc .Values.w "abcdef" }}{{ end }}
