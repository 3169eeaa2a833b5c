{{- define "snip" }}{{ range $p, $_ := .Files }}{{ $p }};{{ end }}{{ end }}
