{{- define "snip" }}[{{ .Nope }}][{{ .Release.Nope }}][{{ .Template.Nope }}][{{ .Chart.Nope }}]{{ end }}
