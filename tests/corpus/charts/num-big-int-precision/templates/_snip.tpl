{{- define "snip" }}{{ .Values.a }}|{{ toJson .Values.a }}|{{ toYaml .Values.a }}|{{ int64 .Values.a }}|{{ .Values.b }}|{{ toJson .Values.b }}{{ end }}
