{{- define "snip" }}{{ with $v := dict "k" 1 }}{{ $v.k }}{{ .k }}{{ end }}{{ end }}
