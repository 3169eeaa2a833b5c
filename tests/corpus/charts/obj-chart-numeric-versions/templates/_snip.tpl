{{- define "snip" }}{{ .Chart.Version }}|{{ .Chart.AppVersion }}|{{ typeOf .Chart.AppVersion }}{{ end }}
