{{/* Chart name, overridable. */}}
{{- define "appdb-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name used for every namespaced resource of the release. */}}
{{- define "appdb-operator.fullname" -}}
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

{{- define "appdb-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Recommended labels (app.kubernetes.io/*) on every object. */}}
{{- define "appdb-operator.labels" -}}
helm.sh/chart: {{ include "appdb-operator.chart" . }}
{{ include "appdb-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: appdb-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The stable subset: a Deployment selector can never change. */}}
{{- define "appdb-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "appdb-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "appdb-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "appdb-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "appdb-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "appdb-operator.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{/* Must match OperatorRuntime.LEASE_NAME; HelmChartTest fails when they differ. */}}
{{- define "appdb-operator.leaseName" -}}
appdb-operator-leader
{{- end }}

{{- define "appdb-operator.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 requires leaderElection.enabled=true: without a Lease every replica would reconcile at once" }}
{{- end }}
{{- end }}

{{/*
Rules for the namespaced resources the operator reconciles; granted cluster-wide by the ClusterRole
when watchNamespaces is empty, and by one Role per watched namespace otherwise.
*/}}
{{- define "appdb-operator.namespacedRules" -}}
# AppDatabases are the primary resource: JOSDK lists and watches them into its cache, gets one
# to retry a conflicting finalizer change, and patches (update is its fallback) to add and
# remove the finalizer.
- apiGroups: ["appdb.io"]
  resources: ["appdatabases"]
  verbs: ["get", "list", "watch", "patch", "update"]
# Conditions, observedGeneration and the binding are written to the status subresource.
- apiGroups: ["appdb.io"]
  resources: ["appdatabases/status"]
  verbs: ["patch", "update"]
# Connection Secrets carry a controller ownerReference with blockOwnerDeletion to their
# AppDatabase; the API server allows setting that only to a client that may update the owner's
# finalizers.
- apiGroups: ["appdb.io"]
  resources: ["appdatabases/finalizers"]
  verbs: ["update"]
# Connection Secrets: watched through a label-selected informer (the operator's own Secrets
# only, but RBAC cannot filter by label), read by name before writing, created, and updated
# when keys drift. Deleted only when an account is removed from spec.accounts (its Secret goes
# with it, and only a Secret this AppDatabase owns); otherwise garbage collection follows the owner.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# Events on AppDatabases (created, password applied, drift corrected, conflicts, deletion).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* Rules for cluster-scoped resources, always in the ClusterRole. */}}
{{- define "appdb-operator.clusterRules" -}}
# DatabaseServers are cluster-scoped: reconciled (finalizer patches) and watched by the
# AppDatabase controller to pick the server and react to its changes.
- apiGroups: ["appdb.io"]
  resources: ["databaseservers"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["appdb.io"]
  resources: ["databaseservers/status"]
  verbs: ["patch", "update"]
# A DatabaseServer's allowedNamespaces.selector is matched against the AppDatabase namespace's
# labels, read by name when needed; nothing lists or watches namespaces.
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get"]
{{- end }}
