{{- define "snip" }}{{ with .Values.x }}x{{ else with .Values.why }}y={{ .v }}{{ else }}none{{ end }}|{{ with .Values.q }}q{{ else with .Values.r }}r{{ else }}none{{ end }}{{ end }}
