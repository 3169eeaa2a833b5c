{{- define "snip" }}{{ keys . | sortAlpha | join "," }}|{{ typeOf . }}|{{ typeOf .Files }}|{{ typeOf .Capabilities }}|{{ typeOf .Chart }}|{{ typeOf .Template }}{{ end }}
