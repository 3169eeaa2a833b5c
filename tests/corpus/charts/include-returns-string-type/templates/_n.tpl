{{- define "num" }}42{{ end }}
