{{- define "snip" }}{{ .Values.cfg | quote }}|{{ .Values.lit }}|{{ toJson .Values.obj }}|{{ typeOf .Values.cfg }}{{ end }}
