{{- define "blk" }}overridden {{ . }}{{ end }}
