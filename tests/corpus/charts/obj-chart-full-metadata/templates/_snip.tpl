{{- define "snip" }}{{ .Chart.Name }}|{{ .Chart.Version }}|{{ .Chart.AppVersion }}|{{ .Chart.Description }}|{{ .Chart.Home }}|{{ .Chart.Icon }}|{{ .Chart.Sources }}|{{ .Chart.Keywords }}|{{ .Chart.Maintainers }}|{{ .Chart.KubeVersion }}|{{ .Chart.Type }}|{{ .Chart.Deprecated }}|{{ .Chart.Annotations }}|{{ .Chart.APIVersion }}|{{ .Chart.IsRoot }}|{{ .Chart.Condition }}|{{ .Chart.Tags }}|{{ .Chart.Dependencies }}|{{ typeOf .Chart }}
---
{{ toYaml .Chart }}{{ end }}
