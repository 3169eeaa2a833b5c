{{- define "snip" }}{{ include "nv" (dict) | len }}|{{ include "nv" (dict) }}|{{ printf "%q" (include "nv" (dict)) }}{{ end }}
