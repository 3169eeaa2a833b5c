{{- define "snip" }}[{{ print "a" 1 2 "b" 3.5 true nil }}][{{ print 1 2 }}][{{ print "a" "b" }}][{{ println "a" 1 }}][{{ print }}][{{ print (list 1 "a") (dict "k" "v") }}]{{ end }}
