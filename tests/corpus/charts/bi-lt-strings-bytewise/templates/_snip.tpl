{{- define "snip" }}{{ lt "B" "a" }}|{{ lt "abc" "abd" }}|{{ lt "" "a" }}|{{ gt "é" "z" }}|{{ le "a" "a" }}|{{ ge "10" "9" }}{{ end }}
