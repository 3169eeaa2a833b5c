{{- define "snip" }}{{ index (list "a" "b") .Values.i }}|{{ index (list "a" "b") (int .Values.i) }}{{ end }}
