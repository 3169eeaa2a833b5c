{{- define "snip" }}{{ expandenv "$HOME" }}{{ end }}
