{{- define "snip" }}{{ range $k, $v := .Values }}{{ $k }}={{ $v }}:{{ typeOf $v }} {{ end }}|{{ toJson .Values }}{{ end }}
