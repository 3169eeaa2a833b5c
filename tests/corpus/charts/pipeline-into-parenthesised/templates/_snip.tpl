{{- define "snip" }}{{ "a" | printf "%s%s" "b" | upper | printf "[%s]" }}|{{ (printf "%s" "x") | len }}|{{ list 3 1 2 | sortAlpha | join "" }}|{{ 5 | until | len }}{{ end }}
