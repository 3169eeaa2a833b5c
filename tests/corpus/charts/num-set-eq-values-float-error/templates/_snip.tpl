{{- define "snip" }}{{ eq .Values.a .Values.b }}{{ end }}
