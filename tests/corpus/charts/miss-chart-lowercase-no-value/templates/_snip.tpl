{{- define "snip" }}[{{ .Chart.name }}][{{ .Chart.Name }}][{{ .Release.name }}][{{ .Template.name }}]{{ end }}
