{{- define "snip" }}{{ list
  1
  (add
    2 3)
  "x" | toJson
}}|{{- /* c */ -}}|{{
  "end" }}{{ end }}
