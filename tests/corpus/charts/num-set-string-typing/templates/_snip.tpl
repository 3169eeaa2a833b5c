{{- define "snip" }}{{ typeOf .Values.i }}|{{ eq .Values.i "5" }}|{{ typeOf .Values.b }}|{{ if .Values.b }}truthy{{ end }}|{{ add .Values.i 1 }}{{ end }}
