{{- define "snip" }}{{ lt .Values.missing 1 }}{{ end }}
