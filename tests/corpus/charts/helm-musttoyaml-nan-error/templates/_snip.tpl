{{- define "snip" }}{{ mustToYaml (float64 "NaN") }}{{ end }}
