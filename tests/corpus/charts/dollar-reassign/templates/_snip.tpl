{{- define "snip" }}{{ $ = "new" }}{{ $ }}|{{ range list 1 }}{{ $ }}{{ end }}{{ end }}
