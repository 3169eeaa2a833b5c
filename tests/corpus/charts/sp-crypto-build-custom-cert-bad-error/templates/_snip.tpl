{{- define "snip" }}{{ buildCustomCert "bm90" "bm90" }}{{ end }}
