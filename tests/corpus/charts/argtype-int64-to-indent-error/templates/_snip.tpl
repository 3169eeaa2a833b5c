{{- define "snip" }}{{ indent .Values.w "x" }}{{ end }}
