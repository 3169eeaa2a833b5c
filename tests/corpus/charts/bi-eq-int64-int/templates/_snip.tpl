{{- define "snip" }}{{ eq .Values.i 3 }}|{{ ne .Values.i 4 }}|{{ lt .Values.i 10 }}|{{ ge .Values.i 3 }}{{ end }}
