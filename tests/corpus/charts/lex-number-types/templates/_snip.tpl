{{- define "snip" }}{{ typeOf 1 }}|{{ typeOf 1.0 }}|{{ typeOf 1e3 }}|{{ typeOf 0x10 }}|{{ typeOf -1 }}|{{ typeOf 1i }}|{{ typeOf "1" }}|{{ typeOf true }}|{{ typeOf nil }}{{ end }}
