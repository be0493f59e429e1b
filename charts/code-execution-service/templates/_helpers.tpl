{{/*
Expand the name of the chart.
*/}}
{{- define "code-execution-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name (63 chars at most: some Kubernetes name fields are
limited to that by the DNS naming spec). If the release name contains the chart name it is used
as the full name.
*/}}
{{- define "code-execution-service.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "code-execution-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "code-execution-service.labels" -}}
helm.sh/chart: {{ include "code-execution-service.chart" . }}
{{ include "code-execution-service.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: learnflow
{{- end }}

{{/*
Selector labels
*/}}
{{- define "code-execution-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "code-execution-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of the `helm test` pod: deliberately not the selector labels, so that neither the Service
nor the service's NetworkPolicy ever selects it.
*/}}
{{- define "code-execution-service.testLabels" -}}
helm.sh/chart: {{ include "code-execution-service.chart" . }}
app.kubernetes.io/name: {{ include "code-execution-service.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: learnflow
app.kubernetes.io/component: test
{{- end }}

{{/*
The service's own ServiceAccount (it creates and watches the execution Jobs).
*/}}
{{- define "code-execution-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "code-execution-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The ServiceAccount of the sandbox pods: no token, no permissions.
*/}}
{{- define "code-execution-service.sandboxServiceAccountName" -}}
{{- default (printf "%s-sandbox" (include "code-execution-service.fullname" .) | trunc 63 | trimSuffix "-") .Values.sandbox.serviceAccount.name }}
{{- end }}

{{/*
Images: the tag defaults to the chart's appVersion.
*/}}
{{- define "code-execution-service.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "code-execution-service.runnerImage" -}}
{{- printf "%s:%s" .Values.runner.image.repository (.Values.runner.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Settings the chart knows better than a default: where the Jobs go, which image and service
account they use. An explicit value under `config` wins.
*/}}
{{- define "code-execution-service.derivedConfig" -}}
{{- dict
  "executor" "kubernetes"
  "k8sNamespace" .Release.Namespace
  "k8sRunnerImage" (include "code-execution-service.runnerImage" .)
  "k8sImagePullPolicy" .Values.runner.image.pullPolicy
  "k8sServiceAccount" (include "code-execution-service.sandboxServiceAccountName" .)
  | toJson }}
{{- end }}

{{/*
The effective value of one setting: `config.<key>` unless null or "", else the derived value.
Usage: include "code-execution-service.setting" (list . "maxTimeoutSeconds")
*/}}
{{- define "code-execution-service.setting" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- $derived := include "code-execution-service.derivedConfig" $root | fromJson }}
{{- $value := index $root.Values.config $key }}
{{- if or (kindIs "invalid" $value) (eq (toString $value) "") }}
{{- $value = index $derived $key }}
{{- end }}
{{- if kindIs "invalid" $value }}
{{- else if kindIs "string" $value }}
{{- $value }}
{{- else }}
{{- $value | toJson }}
{{- end }}
{{- end }}

{{/*
One env var per setting of src/config/settings.ts that has a value: the variable is the key in
UPPER_SNAKE_CASE (maxQueuedExecutions -> MAX_QUEUED_EXECUTIONS), as the service reads it.
Settings left null keep the service's own default.
*/}}
{{- define "code-execution-service.settingsEnv" -}}
{{- $derived := include "code-execution-service.derivedConfig" . | fromJson }}
{{- $keys := concat (keys .Values.config) (keys $derived) | uniq | sortAlpha }}
{{- range $key := $keys }}
{{- $value := include "code-execution-service.setting" (list $ $key) }}
{{- if ne $value "" }}
- name: {{ regexReplaceAll "([a-z0-9])([A-Z])" $key "${1}_${2}" | upper }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The longest an execution can take (timeout + pod start-up allowance) plus the shutdown grace:
the pod's termination grace period must be longer, or Kubernetes kills the service before it has
cleaned up its Jobs.
*/}}
{{- define "code-execution-service.longestShutdownSeconds" -}}
{{- $timeout := include "code-execution-service.setting" (list . "maxTimeoutSeconds") | float64 }}
{{- $allowance := include "code-execution-service.setting" (list . "k8sStartupAllowanceSeconds") | float64 }}
{{- $grace := include "code-execution-service.setting" (list . "shutdownGraceSeconds") | float64 }}
{{- addf $timeout $allowance $grace }}
{{- end }}

{{/*
The port the service listens on (config.port).
*/}}
{{- define "code-execution-service.containerPort" -}}
{{- include "code-execution-service.setting" (list . "port") | int }}
{{- end }}

{{/*
Names of the KongPlugins attached to the Ingress.
*/}}
{{- define "code-execution-service.kongPlugins" -}}
{{- $plugins := list }}
{{- if .Values.kong.rateLimiting.enabled }}
{{- $plugins = append $plugins (printf "%s-rate-limiting" (include "code-execution-service.fullname" .)) }}
{{- end }}
{{- if .Values.kong.requestSizeLimiting.enabled }}
{{- $plugins = append $plugins (printf "%s-request-size" (include "code-execution-service.fullname" .)) }}
{{- end }}
{{- $plugins = concat $plugins .Values.kong.extraPlugins }}
{{- join "," $plugins }}
{{- end }}
