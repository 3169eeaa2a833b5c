{{- define "snip" }}{{ uniq .Values.l | toJson }}|{{ without .Values.l (dict "a" 1.0) | toJson }}|{{ has (list 1.0) .Values.l }}|{{ has "1" .Values.l }}{{ end }}
