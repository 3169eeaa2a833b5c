{{- define "snip" }}{{ semver "1.2.3.4" }}{{ end }}
