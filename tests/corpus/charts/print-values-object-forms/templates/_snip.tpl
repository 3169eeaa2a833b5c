{{- define "snip" }}{{ .Values }}|{{ printf "%v" .Values }}|{{ print .Values.a }}|{{ .Values.b }}|{{ printf "%T" .Values }}|{{ printf "%T" .Values.a }}{{ end }}
