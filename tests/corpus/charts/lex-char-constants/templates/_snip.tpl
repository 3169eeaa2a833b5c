{{- define "snip" }}{{ 'a' }}|{{ '\n' }}|{{ 'é' }}|{{ typeOf 'a' }}|{{ add 'a' 1 }}|{{ printf "%c" 'x' }}{{ end }}
