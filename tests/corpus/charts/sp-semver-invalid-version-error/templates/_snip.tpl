{{- define "snip" }}{{ semverCompare ">=1.0" "not-a-version" }}{{ end }}
