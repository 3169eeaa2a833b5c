{{- define "snip" }}{{ mustFromJson "{bad" }}{{ end }}
