{{- define "snip" }}{{ semverCompare "><1" "1.0.0" }}{{ end }}
