{{- define "snip" }}{{ eq .Values.i 3.0 }}|{{ lt .Values.i 3.5 }}|{{ gt .Values.i 2.0 }}|{{ le (float64 .Values.i) 3.0 }}|{{ eq (int .Values.i) 3 }}{{ end }}
