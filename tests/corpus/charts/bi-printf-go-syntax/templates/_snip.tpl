{{- define "snip" }}{{ printf "%#v|%#v|%#v|%#v|%#x|%#o" "s" 1.5 (list 1 "a") (dict "k" 1) 255 8 }}{{ end }}
