{{- define "snip" }}{{ regexFind "a(?=b)" "ab" }}{{ end }}
