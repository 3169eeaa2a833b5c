{{- define "snip" }}[{{ toYaml .Values.s }}][{{ toJson .Values.s }}]{{ end }}
