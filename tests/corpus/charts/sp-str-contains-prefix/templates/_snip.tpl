{{- define "snip" }}{{ contains "ell" "hello" }}|{{ contains "" "x" }}|{{ hasPrefix "he" "hello" }}|{{ hasPrefix "lo" "hello" }}|{{ hasSuffix "lo" "hello" }}|{{ hasSuffix "" "" }}{{ end }}
