{{- define "snip" }}{{ range $k, $v := .Values.m }}{{ $_ := set $.Values.m (printf "%s2" $k) $v }}{{ $k }};{{ end }}|{{ keys .Values.m | sortAlpha | join "," }}{{ end }}
