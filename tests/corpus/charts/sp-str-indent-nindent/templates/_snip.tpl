{{- define "snip" }}[{{ indent 2 "a\nb" }}][{{ nindent 2 "a\nb\n" }}][{{ indent 0 "x" }}][{{ indent 3 "" }}][{{ nindent 0 "y" }}][{{ indent 2 "a\r\nb" }}][{{ "p" | nindent 4 | indent 2 }}]{{ end }}
