{{- define "snip" }}{{ include "num" . | typeOf }}|{{ include "num" . | atoi | add 1 }}|{{ include "num" . | int | typeOf }}|{{ eq (include "num" .) "42" }}{{ end }}
