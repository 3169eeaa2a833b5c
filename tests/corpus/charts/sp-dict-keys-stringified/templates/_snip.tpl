{{- define "snip" }}{{ dict 1 2 true "x" 1.5 "f" nil "n" | toJson }}|{{ dict "odd" | toJson }}|{{ dict "a" 1 "b" | toJson }}|{{ dict | toJson }}{{ end }}
