{{- define "snip" }}{{ printf "%d|%s|%t|%d" 1.5 3 "x" "y" }}|{{ printf "%s %s" "one" }}|{{ printf "%s" "a" "b" 3 }}|{{ printf "%s|%d" nil nil }}|{{ printf "%!" }}|{{ printf "%z" 1 }}{{ end }}
