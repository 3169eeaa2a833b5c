{{- define "snip" }}{{ nosuchfn 1 }}{{ end }}
