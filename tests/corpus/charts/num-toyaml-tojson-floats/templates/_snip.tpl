{{- define "snip" }}{{ toJson .Values.vals }}|{{ toYaml .Values.vals | replace "\n" " " }}|{{ toToml (dict "v" .Values.vals) | replace "\n" " " }}{{ end }}
