{{- define "snip" }}{{ upper "a" "b" }}{{ end }}
