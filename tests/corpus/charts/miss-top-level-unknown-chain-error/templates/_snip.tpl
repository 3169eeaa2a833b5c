{{- define "snip" }}{{ .Nope.Deeper }}{{ end }}
