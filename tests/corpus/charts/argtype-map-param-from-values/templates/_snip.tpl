{{- define "snip" }}{{ hasKey .Values "m" }}|{{ hasKey .Values.m "a" }}|{{ keys .Values.m | toJson }}|{{ pick .Values "m" | toJson }}{{ end }}
