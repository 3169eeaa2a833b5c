{{- define "snip" }}{{- range $s := list "FirstName" "HTTPServer" "http_server" "foo-bar baz" "already_snake" "camelCase" "ID" "a1B2" "  spaced  out " "XMLHttpRequest" "some.dotted.name" "" }}
{{ $s }} => {{ snakecase $s }} | {{ kebabcase $s }} | {{ camelcase $s }}
{{- end }}{{ end }}
