{{- define "snip" }}{{ $s := .Values.svc }}{{ $s.ports.http }}|{{ $p := $s.ports }}{{ $p.http }}|{{ with $s }}{{ .ports.http }}{{ end }}|{{ ($s.ports).http }}{{ end }}
