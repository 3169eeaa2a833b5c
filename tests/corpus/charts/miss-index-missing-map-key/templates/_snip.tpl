{{- define "snip" }}[{{ index .Values.m "zz" }}][{{ index .Values "m" "a" }}][{{ index .Values.m "zz" | typeOf }}][{{ index (dict "a" (list 1 2)) "a" 1 }}]{{ end }}
