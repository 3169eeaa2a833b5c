{{- define "snip" }}{{ range $k, $v := .Values.f }}{{ $k }}={{ $v }} {{ end }}{{ end }}
