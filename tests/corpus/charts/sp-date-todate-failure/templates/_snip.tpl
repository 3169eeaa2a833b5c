{{- define "snip" }}{{ toDate "2006-01-02" "not a date" }}|{{ toDate "2006-01-02" "not a date" | htmlDate }}|{{ unixEpoch (toDate "2006-01-02" "1970-01-02") }}{{ end }}
