{{- define "snip" }}{{ repeat -1 "x" }}{{ end }}
