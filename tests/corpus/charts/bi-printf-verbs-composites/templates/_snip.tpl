{{- define "snip" }}{{ printf "%v|%+v|%T|%T|%T|%d|%s" .Values.m .Values.m .Values.m (list) 1.5 (list 1 2) (list "a" "b") }}{{ end }}
