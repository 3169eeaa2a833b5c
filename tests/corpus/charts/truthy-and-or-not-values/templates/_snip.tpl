{{- define "snip" }}{{ and 1 "" 3 }}|{{ and 1 2 }}|{{ or "" 0 }}|{{ or "" "x" (fail "never") }}|{{ not 0 }}|{{ not "a" }}|{{ and (list) 1 }}|{{ typeOf (or 0 0.0) }}|{{ not (dict) }}{{ end }}
