{{- define "snip" }}[{{ mustToYaml .Values.s }}]{{ end }}
