{{- define "snip" }}{{ println "a" "b" 1 2 }}{{ println }}{{ println nil }}end{{ end }}
