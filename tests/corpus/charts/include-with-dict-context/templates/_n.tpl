{{- define "ctx" }}{{ .root.Release.Name }}/{{ .extra }}/{{ .root.Values.v }}{{ end }}
