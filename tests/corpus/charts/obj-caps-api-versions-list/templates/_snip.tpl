{{- define "snip" }}{{ .Capabilities.APIVersions | join " " }}{{ end }}
