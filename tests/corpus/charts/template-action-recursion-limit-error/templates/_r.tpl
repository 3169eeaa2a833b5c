{{- define "deep" }}{{ if gt . 0 }}{{ template "deep" (sub . 1) }}{{ end }}{{ end }}
