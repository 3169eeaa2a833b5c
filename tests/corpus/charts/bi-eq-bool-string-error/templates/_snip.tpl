{{- define "snip" }}{{ eq true "true" }}{{ end }}
