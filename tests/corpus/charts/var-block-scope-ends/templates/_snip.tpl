{{- define "snip" }}{{ range $i, $v := list 1 }}{{ $inner := 1 }}{{ end }}{{ $inner }}{{ end }}
