{{- define "snip" }}{{ printf "%s|%v|%x|%q" (.Files.GetBytes "files/f.txt") (.Files.GetBytes "files/f.txt") (.Files.GetBytes "files/f.txt") (.Files.GetBytes "files/f.txt") }}{{ end }}
