{{- define "snip" }}{{ $i := 0 }}{{ $v := "" }}{{ range $i, $v = list "a" "b" }}{{ end }}{{ $i }}{{ $v }}{{ end }}
