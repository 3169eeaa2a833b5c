{{- define "snip" }}{{ if $x := list 1 }}has {{ len $x }}{{ end }}|{{ if list }}yes{{ else }}empty{{ end }}|{{ if (dict) }}y{{ else }}n{{ end }}{{ end }}
