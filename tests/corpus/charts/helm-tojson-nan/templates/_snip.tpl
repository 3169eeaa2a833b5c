{{- define "snip" }}[{{ toJson (float64 "NaN") }}][{{ toYaml (float64 "NaN") }}][{{ float64 "NaN" }}][{{ float64 "inf" }}]{{ end }}
