{{- define "snip" }}{{ call "x" }}{{ end }}
