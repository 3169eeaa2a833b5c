{{- define "snip" }}{{ toYaml .Chart }}|{{ .Chart.Annotations }}|{{ .Chart.Sources | len }}|{{ kindOf .Chart.Maintainers }}{{ end }}
