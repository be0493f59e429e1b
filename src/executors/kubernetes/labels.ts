/**
 * The labels and annotations the Kubernetes executor puts on its Jobs and their pods. The chart's
 * deny-all NetworkPolicy selects SANDBOX_POD_LABELS; operators list executions with
 * `kubectl get jobs -l app.kubernetes.io/name=code-execution-sandbox -L learnflow.io/outcome`.
 */
import type { ExecutionStatus } from '../../execution/types.ts';

/** Set on every sandbox Job and its pod template; constant for all executions. */
export const SANDBOX_POD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'app.kubernetes.io/name': 'code-execution-sandbox',
  'app.kubernetes.io/component': 'sandbox',
  'app.kubernetes.io/part-of': 'learnflow',
  'app.kubernetes.io/managed-by': 'code-execution-service',
});

/** Label with the execution id, on the Job and its pod: how the executor finds the pod. */
export const EXECUTION_ID_LABEL = 'learnflow.io/execution-id';

/** Label patched onto a finished Job: ok, error, timeout, memory or output-limit. */
export const OUTCOME_LABEL = 'learnflow.io/outcome';

/** Annotations on the Job: what was asked for, for whoever inspects it with kubectl. */
export const REQUEST_NAME_ANNOTATION = 'learnflow.io/request-name';
export const TIMEOUT_ANNOTATION = 'learnflow.io/timeout-seconds';
export const CREATED_AT_ANNOTATION = 'learnflow.io/created-at';

/** Label selector (`k=v,k=v`) for all the service's sandbox Jobs/pods. */
export function sandboxSelector(): string {
  return toSelector(SANDBOX_POD_LABELS);
}

/** Label selector for the pod of one execution. */
export function executionSelector(executionId: string): string {
  return toSelector({ ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: executionId });
}

/** The outcome label's value for a status, in kubectl's spelling: ok, error, timeout, memory, output-limit. */
export function outcomeLabelValue(status: ExecutionStatus): string {
  return status.replace('_', '-');
}

function toSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
