{{- define "snip" }}{{ printf "%s|%q|%v|%10s|%-10s|%.2s|%x|%X|% x|%T|%%|%5.1q" "héllo" "a\"b\n" "v" "r" "l" "abc" "hi" "hi" "hi" "s" "xyz" }}{{ end }}
