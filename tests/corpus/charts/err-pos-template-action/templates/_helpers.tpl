{{- define "t" }}{{ len . }}{{ end }}
