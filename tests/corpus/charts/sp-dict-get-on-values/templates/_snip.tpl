{{- define "snip" }}{{ get .Values "k" }}|{{ hasKey .Values "k" }}|{{ pluck "k" .Values | toJson }}|{{ omit .Values "k" | toJson }}{{ end }}
