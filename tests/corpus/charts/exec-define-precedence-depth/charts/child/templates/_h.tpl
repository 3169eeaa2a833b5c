{{- define "who" }}child{{ end }}
{{- define "child.only" }}child-only{{ end }}
