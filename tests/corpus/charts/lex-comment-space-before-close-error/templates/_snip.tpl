{{- define "snip" }}a {{- /* comment */ }} b{{ end }}
