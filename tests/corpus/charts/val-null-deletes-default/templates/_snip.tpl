{{- define "snip" }}{{ toJson .Values }}|{{ hasKey .Values.a "b" }}|{{ hasKey .Values "newnull" }}|{{ hasKey .Values "list" }}{{ end }}
