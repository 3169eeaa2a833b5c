{{- define "snip" }}{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrev 20 "short" }}|{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ abbrevboth 0 6 "abcdefghij" }}
{{ wrap 10 "the quick brown fox jumps over the lazy dog" }}
{{ wrapWith 5 "<br>" "aaaa bbbb cccc" }}
{{ wrap 3 "abcdefgh ij" }}{{ end }}
