{{- define "snip" }}{{ .Capabilities.kubeVersion }}{{ end }}
