{{- define "snip" }}{{ template "deep" 200000 }}{{ end }}
