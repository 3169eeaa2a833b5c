{{- define "snip" }}{{ block "blk" "arg" }}default {{ . }}{{ end }}{{ end }}
