{{- define "snip" }}{{ tpl (.Files.Get "conf/t.tpl") . }}{{ end }}
