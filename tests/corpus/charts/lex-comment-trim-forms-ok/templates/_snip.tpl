{{- define "snip" }}a {{- /* one */}} b {{/* two */ -}} c {{- /* three */ -}} d{{ end }}
