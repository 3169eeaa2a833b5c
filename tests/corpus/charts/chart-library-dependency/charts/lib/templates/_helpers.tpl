{{- define "lib.name" }}{{ .Chart.Name }}-from-lib{{ end }}
