{{- define "snip" }}{{ mustRegexReplaceAll "[" "x" "y" }}{{ end }}
