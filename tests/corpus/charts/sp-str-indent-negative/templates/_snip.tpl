{{- define "snip" }}[{{ indent -2 "a\nb" }}]{{ end }}
