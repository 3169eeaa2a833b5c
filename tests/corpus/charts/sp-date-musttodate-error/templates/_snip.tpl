{{- define "snip" }}{{ mustToDate "2006-01-02" "nope" }}{{ end }}
