{{- define "snip" }}{{ printf "%t|%v|%5t|%*d|%-*d|%.*f" true false true 5 42 4 7 2 3.14159 }}{{ end }}
