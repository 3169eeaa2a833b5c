{{- define "snip" }}{{ .Files.GetBytes "files/b.txt" | upper }}{{ end }}
