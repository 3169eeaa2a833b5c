{{- define "snip" }}{{ range .Values.items }}{{ . }}-{{ $.Values.name }};{{ end }}{{ with .Values.items }}{{ len . }}{{ $.Values.name }}{{ end }}{{ end }}
