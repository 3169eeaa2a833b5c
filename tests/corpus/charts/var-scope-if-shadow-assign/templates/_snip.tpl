{{- define "snip" }}{{- $y := 0 }}{{ if true }}{{ $y := 5 }}in={{ $y }}{{ end }} y={{ $y }}
{{- $z := 0 }}{{ if true }}{{ $z = 5 }}{{ end }} z={{ $z }}
{{- $w := 1 }}{{ with "v" }}{{ $w = . }}{{ end }} w={{ $w }}{{ end }}
