{{- define "snip" }}{{ eq (index "a" 0) 97 }}|{{ lt (index "a" 0) 98 }}|{{ typeOf (index "a" 0) }}|{{ eq (index "ab" 1) (index "b" 0) }}{{ end }}
