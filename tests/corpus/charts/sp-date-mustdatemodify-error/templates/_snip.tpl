{{- define "snip" }}{{ mustDateModify "bogus" (toDate "2006-01-02" "2024-01-01") }}{{ end }}
