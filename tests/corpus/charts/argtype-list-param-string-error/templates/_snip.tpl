{{- define "snip" }}{{ join "," 5 }}|{{ splitList "," 5 }}{{ end }}
