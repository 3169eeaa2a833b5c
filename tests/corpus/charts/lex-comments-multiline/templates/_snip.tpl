{{- define "snip" }}a{{/* one
two */}}b {{- /* trimmed both */ -}} c
{{- /* left only */}} d {{/* right only */ -}}
  e{{ end }}
