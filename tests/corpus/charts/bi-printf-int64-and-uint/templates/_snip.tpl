{{- define "snip" }}{{ printf "%d|%x|%v|%08d|%b" .Values.big .Values.big .Values.neg .Values.neg .Values.neg }}{{ end }}
