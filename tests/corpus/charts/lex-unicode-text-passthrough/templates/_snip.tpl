{{- define "snip" }}héllo ✓ 日本 {{ "😀" }} tab	x{{ end }}
