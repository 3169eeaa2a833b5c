{{- define "who" }}parent-deep{{ end }}
{{- define "onlydeep" }}deep-only{{ end }}
