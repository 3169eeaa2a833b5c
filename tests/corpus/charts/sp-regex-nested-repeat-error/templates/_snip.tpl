{{- define "snip" }}{{ regexFind "(a{10}|b{201}){5}" "ab" }}{{ end }}
