{{- define "snip" }}{{ list 1 2 3 | len | add 4 | printf "%03d" }}|{{ "x" | printf "%s-%s-%s" "a" "b" }}|{{ 3 | add 1 | mul 2 }}{{ end }}
