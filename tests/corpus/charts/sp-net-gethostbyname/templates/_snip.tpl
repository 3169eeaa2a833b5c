{{- define "snip" }}[{{ getHostByName "example.com" }}]|{{ typeOf (getHostByName "x") }}{{ end }}
