{{- define "snip" }}{{ html "<a href='x'>&\"</a>" }}|{{ js "a\\b'c\"d<e>f&g=h\ni\tj" }}|{{ urlquery "a b&c=d/é?" }}|{{ html 5 }}|{{ urlquery "x" 1 true }}|{{ js (list 1 "<") }}{{ end }}
