{{- define "snip" }}{{ mustAppend "s" 1 }}{{ end }}
