{{- define "snip" }}{{ range 3 }}[{{ . }}]{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}zero{{ end }}|{{ range $i, $v := list "a" "b" }}{{ $i }}{{ $v }}{{ end }}{{ end }}
