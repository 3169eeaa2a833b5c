{{- define "snip" }}keep <no value> gone|{{ "<no value>" }}|{{ "<no" }} value>|<no value><no value>x{{ end }}
