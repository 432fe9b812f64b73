{{/* The release's base name: the release name when it already says vigil, else release-vigil. */}}
{{- define "vigil.fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; "component" is vigil-monitor, vigil-rollback-controller or vigil-sidecar. */}}
{{- define "vigil.labels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: vigil
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "vigil.selector" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "vigil.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{- define "vigil.scheme" -}}
{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end -}}
{{- end -}}

{{/* The tls section the chart writes into server and controller: the files of the mounted Secret. */}}
{{- define "vigil.tlsConfig" -}}
certFile: /etc/vigil-tls/tls.crt
keyFile: /etc/vigil-tls/tls.key
{{- if .Values.tls.clientCa }}
clientCaFile: /etc/vigil-tls/ca.crt
{{- end }}
reloadInterval: {{ .Values.tls.reloadInterval }}
{{- end -}}

{{/* vigil.yaml: .Values.config with the ports and TLS the chart owns. */}}
{{- define "vigil.config" -}}
{{- $cfg := deepCopy .Values.config -}}
{{- $server := deepCopy (default (dict) $cfg.server) -}}
{{- $_ := set $server "port" (int .Values.monitor.port) -}}
{{- if .Values.monitor.metricsPort }}{{ $_ := set $server "metricsPort" (int .Values.monitor.metricsPort) }}{{ end -}}
{{- if .Values.tls.enabled }}{{ $_ := set $server "tls" (include "vigil.tlsConfig" . | fromYaml) }}{{ end -}}
{{- $_ := set $cfg "server" $server -}}
{{- if .Values.controller.enabled -}}
{{- $c := deepCopy (default (dict) $cfg.controller) -}}
{{- $_ := set $c "port" (int .Values.controller.port) -}}
{{- $_ := set $c "consumerGroup" .Values.controller.consumerGroup -}}
{{- if .Values.controller.metricsPort }}{{ $_ := set $c "metricsPort" (int .Values.controller.metricsPort) }}{{ end -}}
{{- if .Values.tls.enabled }}{{ $_ := set $c "tls" (include "vigil.tlsConfig" . | fromYaml) }}{{ end -}}
{{- $_ := set $cfg "controller" $c -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}

{{/* The environment every vigil container gets. */}}
{{- define "vigil.env" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if .Values.secrets.adminToken.name }}
- name: VIGIL_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.adminToken.name }}
      key: {{ .Values.secrets.adminToken.key }}
      optional: {{ .Values.secrets.adminToken.optional }}
{{- end }}
- name: VIGIL_KEYS_DIR
  value: /etc/vigil-keys
{{- range .Values.secrets.env }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}
{{ include "vigil.operatorEnv" . }}
{{- end -}}

{{/*
The environment the operator chooses, last in every vigil container (the sidecar's too): logging as VIGIL_LOG_FORMAT
and VIGIL_LOG_LEVEL, then extraEnv as given. A name the chart sets itself is refused rather than left to shadow it.
*/}}
{{- define "vigil.operatorEnv" -}}
{{- $own := list "POD_NAME" "VIGIL_KEYS_DIR" "VIGIL_ADMIN_TOKEN" "VIGIL_LOG_FORMAT" "VIGIL_LOG_LEVEL" -}}
{{- range .Values.secrets.env }}{{ $own = append $own .name }}{{ end -}}
- name: VIGIL_LOG_FORMAT
  value: {{ .Values.logging.format | quote }}
- name: VIGIL_LOG_LEVEL
  value: {{ .Values.logging.level | quote }}
{{- range $i, $e := .Values.extraEnv }}
{{- if has $e.name $own }}
{{- fail (printf "extraEnv[%d]: %s is set by the chart; use logging.format / logging.level for VIGIL_LOG_*, secrets.* for the others" $i $e.name) }}
{{- end }}
{{ toYaml (list $e) }}
{{- end }}
{{- end -}}

{{/* Mounts of every vigil container (the config volume's name is given). */}}
{{- define "vigil.mounts" -}}
- name: config
  mountPath: /etc/vigil
  readOnly: true
- name: keys
  mountPath: /etc/vigil-keys
  readOnly: true
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: /etc/vigil-tls
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "vigil.volumes" -}}
- name: keys
  secret:
    secretName: {{ .Values.secrets.keys.name }}
{{- if .Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ required "tls.secretName is required with tls.enabled (a kubernetes.io/tls Secret)" .Values.tls.secretName }}
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{/* Liveness and readiness probes on the named port. */}}
{{- define "vigil.probes" -}}
livenessProbe:
  httpGet:
    path: /health/live
    port: {{ .port }}
    scheme: {{ include "vigil.scheme" .root }}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /health/ready
    port: {{ .port }}
    scheme: {{ include "vigil.scheme" .root }}
  initialDelaySeconds: 5
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}
