{{- define "need" }}{{ required (printf "need %s" .) nil }}{{ end }}
