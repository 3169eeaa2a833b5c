{{- define "snip" }}{{3-}}{{ end }}
