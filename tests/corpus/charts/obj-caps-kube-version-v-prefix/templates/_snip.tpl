{{- define "snip" }}{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Minor }}|{{ semverCompare "~1.25" .Capabilities.KubeVersion.GitVersion }}{{ end }}
