{{- define "snip" }}{{ .Capabilities.KubeVersion }}{{ end }}
