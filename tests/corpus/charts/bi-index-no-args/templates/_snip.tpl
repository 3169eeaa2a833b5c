{{- define "snip" }}{{ index "x" }}|{{ index 5 }}{{ end }}
