{{- define "snip" }}{{ ne (date "2006" .Values.ts) "1970" }}|{{ date "2006" (int .Values.ts) }}|{{ date "2006" (int64 .Values.ts) }}{{ end }}
