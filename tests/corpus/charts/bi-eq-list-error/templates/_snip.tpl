{{- define "snip" }}{{ eq (list 1) (list 1) }}{{ end }}
