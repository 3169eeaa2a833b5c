{{- define "snip" }}{{- range $i := until 4 }}{{ if eq $i 2 }}{{ continue }}{{ end }}{{ range $j := until 5 }}{{ if gt $j 1 }}{{ break }}{{ end }}{{ $i }}{{ $j }} {{ end }}{{ end }}{{ end }}
