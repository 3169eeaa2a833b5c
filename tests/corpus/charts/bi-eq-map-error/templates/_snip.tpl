{{- define "snip" }}{{ eq (dict) (dict) }}{{ end }}
