{{- define "snip" }}{{ plural "one" "many" 1 }}|{{ plural "one" "many" 0 }}|{{ plural "one" "many" 2 }}|{{ plural "one" "many" -1 }}|{{ hello }}{{ end }}
