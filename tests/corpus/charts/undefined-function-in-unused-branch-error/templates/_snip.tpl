{{- define "snip" }}{{ if false }}{{ toYAML . }}{{ end }}{{ end }}
