{{- define "snip" }}{{ index "hello" 0 }}|{{ index "héllo" 1 }}|{{ typeOf (index "a" 0) }}{{ end }}
