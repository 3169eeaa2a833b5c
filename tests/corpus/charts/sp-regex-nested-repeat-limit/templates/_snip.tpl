{{- define "snip" }}{{ regexFind "((a{2})*){500}" "aaaa" | quote }} {{ regexMatch "(?:x{0}){1000}(b{1,2}){500}" "bb" }} {{ regexFind "(a{0,}){1000}" "aa" | quote }}{{ end }}
