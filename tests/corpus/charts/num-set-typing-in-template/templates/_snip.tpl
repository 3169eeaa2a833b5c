{{- define "snip" }}{{ range $k, $v := .Values }}{{ $k }}={{ $v }}:{{ typeOf $v }} {{ end }}|{{ add .Values.i 1 }}|{{ mul .Values.big 2 }}|{{ toJson .Values }}{{ end }}
