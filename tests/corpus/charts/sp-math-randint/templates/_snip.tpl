{{- define "snip" }}{{ randInt 5 6 }}|{{ $r := randInt 0 10 }}{{ and (ge $r 0) (lt $r 10) }}|{{ typeOf (randInt 1 2) }}{{ end }}
