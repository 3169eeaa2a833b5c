{{- define "snip" }}{{ (dict "a" (dict "b" 7)).a.b }}|{{ (list 1 2 | len) }}|{{ ((dict "x" "y")).x }}{{ end }}
