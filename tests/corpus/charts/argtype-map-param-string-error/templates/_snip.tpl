{{- define "snip" }}{{ hasKey "str" "a" }}{{ end }}
