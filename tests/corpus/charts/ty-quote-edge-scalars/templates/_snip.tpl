{{- define "snip" }}{{ toYaml .Values.s }}{{ end }}
