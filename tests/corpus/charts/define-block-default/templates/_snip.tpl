{{- define "snip" }}{{ block "blk2" "arg" }}default {{ . }}{{ end }}{{ end }}
