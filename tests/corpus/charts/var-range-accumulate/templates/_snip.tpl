{{- define "snip" }}{{- $sum := 0 }}{{ range list 1 2 3 4 }}{{ $sum = add $sum . }}{{ end }}{{ $sum }}|
{{- $s := "" }}{{ range $i, $e := list "a" "b" }}{{ $s = printf "%s%d%s" $s $i $e }}{{ end }}{{ $s }}{{ end }}
