{{- define "snip" }}{{ randBytes 12 | b64dec | len }}|{{ randBytes 0 }}|{{ regexMatch "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" uuidv4 }}|{{ ne uuidv4 uuidv4 }}{{ end }}
