{{- define "snip" }}{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}{{ end }}
