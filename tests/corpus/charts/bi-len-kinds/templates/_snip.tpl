{{- define "snip" }}{{ len "héllo" }}|{{ len .Values.m }}|{{ len .Values.l }}|{{ len (list) }}|{{ len (dict) }}|{{ len "" }}|{{ typeOf (len "a") }}{{ end }}
