{{- define "snip" }}{{ .Release }}|{{ .Template }}|{{ printf "%v" .Release.IsUpgrade }}|{{ toYaml .Release | replace "\n" ";" }}{{ end }}
