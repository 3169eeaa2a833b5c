{{- define "snip" }}{{ typeOf .Values.i }}:{{ .Values.i }}|{{ range .Values.l }}{{ typeOf . }}:{{ . }} {{ end }}|{{ .Values.m.k }}|{{ toYaml .Values.m }}{{ end }}
