{{- define "snip" }}{{ print 1) }}{{ end }}
