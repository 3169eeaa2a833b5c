{{- define "snip" }}{{ typeOf .Values.port }}|{{ typeOf .Values.other }}|{{ eq .Values.port 8080 }}|{{ eq .Values.other 80.0 }}{{ end }}
