{{- define "snip" }}{{ eq 1 }}{{ end }}
