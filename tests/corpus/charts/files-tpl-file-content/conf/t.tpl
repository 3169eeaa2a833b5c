hello {{ .Values.who }} {{ .Release.Name }}
