{{- define "snip" }}{{ genSignedCertWithKey "c" nil nil 5 (dict) "not a key" }}{{ end }}
