{{- define "snip" }}{{ fromYamlArray "- 1\n- a: b\n- [x]" | toJson }}|{{ fromYamlArray "a: 1" | toJson }}|{{ fromYamlArray "" | toJson }}|{{ fromYamlArray "- [" | len }}{{ end }}
