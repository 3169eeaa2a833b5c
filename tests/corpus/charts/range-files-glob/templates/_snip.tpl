{{- define "snip" }}{{ range $p, $b := .Files.Glob "files/*" }}{{ $p }}={{ typeOf $b }}:{{ toString $b | trim }};{{ end }}{{ end }}
