{{- define "snip" }}{{ printf "%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%O|%b|%c|%U|%q" 42 42 42 42 42 255 255 8 8 5 65 65 65 }}{{ end }}
