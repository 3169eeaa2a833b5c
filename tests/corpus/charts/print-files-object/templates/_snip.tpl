{{- define "snip" }}{{ typeOf .Files }}|{{ len .Files }}|{{ kindOf .Files }}|{{ typeOf (.Files.Glob "files/*") }}|{{ toJson (.Files.Glob "files/*") }}{{ end }}
