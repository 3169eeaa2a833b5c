{{- define "snip" }}{{ lt "1" 2 }}{{ end }}
