/**
 * The sandbox Job: a pure function from one execution request and the settings to a batch/v1 Job.
 * Only fields that exist in Kubernetes 1.20 (the oldest cluster we run on): no podFailurePolicy,
 * no completionMode, no suspend.
 */
import type { V1Container, V1Job, V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import type { Settings } from '../../config/settings.ts';
import type { ExecutionRequest } from '../../execution/types.ts';
import {
  CREATED_AT_ANNOTATION,
  EXECUTION_ID_LABEL,
  REQUEST_NAME_ANNOTATION,
  SANDBOX_POD_LABELS,
  TIMEOUT_ANNOTATION,
} from './labels.ts';

/** The settings the Job is built from. */
export type JobSettings = Pick<
  Settings,
  | 'k8sNamespace'
  | 'k8sRunnerImage'
  | 'k8sImagePullPolicy'
  | 'k8sServiceAccount'
  | 'k8sCpuLimit'
  | 'k8sMemoryLimit'
  | 'k8sStartupAllowanceSeconds'
  | 'k8sTtlSecondsAfterFinished'
  | 'k8sTerminationGraceSeconds'
  | 'k8sRuntimeClassName'
  | 'k8sPriorityClassName'
  | 'k8sNodeSelector'
  | 'k8sTolerations'
  | 'memoryLimitBytes'
  | 'outputLimitBytes'
>;

/** The sandbox container's name (logs are read from it). */
export const RUNNER_CONTAINER = 'runner';

/** Where the runner writes its result record: Kubernetes' termination message file. */
export const TERMINATION_LOG_PATH = '/dev/termination-log';

/** The non-root uid/gid of the sandbox (the image's `nonroot` user). */
export const SANDBOX_UID = 65532;

/** Arguments to the image's entrypoint (the runner): request from the environment, result also to the termination log. */
export const RUNNER_ARGS: readonly string[] = ['--request-env', '--termination-log', TERMINATION_LOG_PATH];

/** DNS-1123 label: what a Job name and a label value may be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Longest request name kept in the annotation (the client chooses it; the Job is not a store). */
const MAX_ANNOTATED_NAME = 256;

/**
 * The Job's name for an execution id: the id itself (`exec-3f9c...`), so `kubectl get job <id>`
 * finds it. Throws for an id that is not a DNS-1123 label of at most 63 characters (the service
 * generates DNS-safe ids; anything else is a bug, not input).
 */
export function jobNameFor(executionId: string): string {
  if (!DNS_LABEL.test(executionId) || executionId.length > 63) {
    throw new Error(`execution id ${JSON.stringify(executionId)} cannot name a Job (DNS-1123 label, at most 63 characters)`);
  }
  return executionId;
}

/** activeDeadlineSeconds: the whole timeout (rounded up) plus the time a pod may take to start. */
export function activeDeadlineSeconds(timeoutSeconds: number, settings: Pick<Settings, 'k8sStartupAllowanceSeconds'>): number {
  return Math.ceil(timeoutSeconds) + settings.k8sStartupAllowanceSeconds;
}

/**
 * Builds the locked-down Job for one execution. The program and its stdin travel in environment
 * variables (base64), so nothing needs a network or a volume (ADR 0030).
 */
export function buildSandboxJob(request: ExecutionRequest, settings: JobSettings, now: Date): V1Job {
  const labels = { ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: request.id };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(request.id),
      namespace: settings.k8sNamespace,
      labels,
      annotations: {
        [REQUEST_NAME_ANNOTATION]: request.name.slice(0, MAX_ANNOTATED_NAME),
        [TIMEOUT_ANNOTATION]: String(request.timeoutSeconds),
        [CREATED_AT_ANNOTATION]: now.toISOString(),
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: activeDeadlineSeconds(request.timeoutSeconds, settings),
      ttlSecondsAfterFinished: settings.k8sTtlSecondsAfterFinished,
      template: { metadata: { labels: { ...labels } }, spec: buildPodSpec(request, settings) },
    },
  };
}

function buildPodSpec(request: ExecutionRequest, settings: JobSettings): V1PodSpec {
  const spec: V1PodSpec = {
    restartPolicy: 'Never',
    serviceAccountName: settings.k8sServiceAccount,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    terminationGracePeriodSeconds: settings.k8sTerminationGraceSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SANDBOX_UID,
      runAsGroup: SANDBOX_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [buildContainer(request, settings)],
  };
  if (settings.k8sRuntimeClassName !== '') spec.runtimeClassName = settings.k8sRuntimeClassName;
  if (settings.k8sPriorityClassName !== '') spec.priorityClassName = settings.k8sPriorityClassName;
  if (Object.keys(settings.k8sNodeSelector).length > 0) spec.nodeSelector = { ...settings.k8sNodeSelector };
  if (settings.k8sTolerations.length > 0) spec.tolerations = settings.k8sTolerations.map((t): V1Toleration => ({ ...t }));
  return spec;
}

function buildContainer(request: ExecutionRequest, settings: JobSettings): V1Container {
  const resources = { cpu: settings.k8sCpuLimit, memory: settings.k8sMemoryLimit };
  return {
    name: RUNNER_CONTAINER,
    image: settings.k8sRunnerImage,
    imagePullPolicy: settings.k8sImagePullPolicy,
    args: [...RUNNER_ARGS],
    env: [
      { name: 'RUNNER_CODE_B64', value: base64(request.code) },
      { name: 'RUNNER_STDIN_B64', value: base64(request.stdin) },
      { name: 'RUNNER_TIMEOUT_SECONDS', value: String(request.timeoutSeconds) },
      { name: 'RUNNER_MEMORY_BYTES', value: String(settings.memoryLimitBytes) },
      { name: 'RUNNER_OUTPUT_BYTES', value: String(settings.outputLimitBytes) },
    ],
    resources: { limits: { ...resources }, requests: { ...resources } },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    terminationMessagePath: TERMINATION_LOG_PATH,
    terminationMessagePolicy: 'File',
  };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
