{{- define "snip" }}{{- range $c := list ">=1.2.0" "^1.2" "~1.2.3" "1.2.x" "1.x" "*" ">1.0 <2.0" ">=2.0 || <1.3" "!=1.2.3" "=1.2.3" "1.2.3 - 1.4" "~1" "^0.2.3" ">=1.2.3-0" "<1.2.3" }}
{{ $c }}: {{ semverCompare $c "1.2.3" }} {{ semverCompare $c "1.2.4-rc.1" }} {{ semverCompare $c "v0.2.5" }} {{ semverCompare $c "2.0.0" }}
{{- end }}{{ end }}
