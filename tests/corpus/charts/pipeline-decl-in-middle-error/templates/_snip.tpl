{{- define "snip" }}{{ 1 | $x := 2 }}{{ end }}
