{{- define "snip" }}{{ .Values.PathValue "a.b" | typeOf }}|{{ .Values.YAML | len }}{{ end }}
