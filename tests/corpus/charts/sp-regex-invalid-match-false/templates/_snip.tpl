{{- define "snip" }}{{ regexMatch "a(b" "ab" }}{{ end }}
