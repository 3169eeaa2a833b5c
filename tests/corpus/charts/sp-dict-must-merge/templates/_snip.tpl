{{- define "snip" }}{{ mustMerge (dict "a" 1) (dict "a" 2 "b" 3) | toJson }}|{{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}{{ end }}
