{{- define "snip" }}{{ `line1
  line2 \n "kept"` }}|{{ `{{ not an action }}` }}{{ end }}
