{{- define "snip" }}{{ index .Values.l 0 "ports" 1 }}|{{ index .Values "l" 0 "name" }}|{{ index .Values.l 0 }}{{ end }}
