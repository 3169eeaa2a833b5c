{{- define "child.who" }}{{ .Template.Name }}|{{ .Chart.Name }}{{ end }}
