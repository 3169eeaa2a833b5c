{{- define "snip" }}{{ semverCompare "~>1.0" "1.0.0" }}|{{ semverCompare "~>1.0" "1.5.0" }}|{{ semverCompare "=>1.0" "1.5.0" }}{{ end }}
