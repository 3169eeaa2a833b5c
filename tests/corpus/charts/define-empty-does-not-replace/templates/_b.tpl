{{- define "d" }}from-b{{ end }}
