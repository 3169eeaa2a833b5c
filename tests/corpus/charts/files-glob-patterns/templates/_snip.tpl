{{- define "snip" }}{{- range $pat := list "conf/*.yaml" "conf/**.yaml" "**/*.yaml" "conf/*" "*" "conf/?.yaml" "conf/{a,b}.*" "conf/[ab].yaml" "conf/[!a]*" "conf/sub/**" "**" "nomatch/*" "conf/[" }}
{{ $pat }} => {{ range $p, $_ := $.Files.Glob $pat }}{{ $p }} {{ end }}
{{- end }}{{ end }}
