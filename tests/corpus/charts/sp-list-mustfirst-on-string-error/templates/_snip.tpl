{{- define "snip" }}{{ mustFirst "abc" }}{{ end }}
