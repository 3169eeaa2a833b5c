{{- define "snip" }}[{{ decryptAES "k" "bm90IGEgY2lwaGVydGV4dA==" }}]{{ end }}
