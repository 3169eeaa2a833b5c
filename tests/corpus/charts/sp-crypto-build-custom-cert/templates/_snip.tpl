{{- define "snip" }}{{ $ca := genCA "x" 3 }}{{ $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $b.Cert $ca.Cert }}|{{ eq $b.Key $ca.Key }}|{{ typeOf $b }}{{ end }}
