{{- define "snip" }}{{ toYaml (list 1 2.5 "s" true nil) }}
---
{{ toYaml (dict "int" 1 "i64" (int64 2) "f" 2.50 "b" false "n" nil "bytes" (.Files.GetBytes "x")) }}
---
{{ toYaml (until 3) }}
---
{{ toYaml (splitList "," "a,b") }}
---
{{ toYaml (semver "1.2.3") }}{{ end }}
