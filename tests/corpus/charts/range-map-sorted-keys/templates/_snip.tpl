{{- define "snip" }}{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}|{{ range .Values.m }}{{ . }}{{ end }}{{ end }}
