{{- define "snip" }}{{ fromToml "a = 1\nb = \"x\"\n[t]\nc = [1, 2]\nd = 1.5" | toJson }}|{{ (fromToml "a = 1").a | typeOf }}|{{ fromToml "a = " | toJson }}|{{ fromToml "" | toJson }}{{ end }}
