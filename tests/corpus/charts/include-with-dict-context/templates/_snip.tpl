{{- define "snip" }}{{ include "ctx" (dict "root" . "extra" "e") }}|{{ include "ctx" (dict "root" $ "extra" (list 1 2)) }}{{ end }}
