{{- define "snip" }}{{ mustToJson (float64 "NaN") }}{{ end }}
