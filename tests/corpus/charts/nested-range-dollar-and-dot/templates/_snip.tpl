{{- define "snip" }}{{ range $g, $items := .Values.groups }}{{ range $items }}{{ $.Values.prefix }}-{{ $g }}-{{ . }} {{ end }}{{ end }}{{ end }}
