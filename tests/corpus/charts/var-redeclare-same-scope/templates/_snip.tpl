{{- define "snip" }}{{ $x := 1 }}{{ $x := "two" }}{{ $x }}|{{ typeOf $x }}{{ end }}
