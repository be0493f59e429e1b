/**
 * The Kubernetes executor's entry point, imported dynamically by main.ts when
 * settings.executor === 'kubernetes'.
 */
import type { Executor, ExecutorDependencies } from '../../execution/executor.ts';
import { KubernetesExecutor, type KubernetesExecutorOptions } from './executor.ts';

export type { KubernetesExecutorOptions } from './executor.ts';
export { REQUIRED_PERMISSIONS } from './permissions.ts';
export { SANDBOX_POD_LABELS, EXECUTION_ID_LABEL, OUTCOME_LABEL } from './labels.ts';
export { checkRestrictedProfile } from './restrictedProfile.ts';

/** Builds the Kubernetes executor (credentials from settings.kubeconfig, or the client's default search). */
export function createKubernetesExecutor(deps: ExecutorDependencies, options: KubernetesExecutorOptions = {}): Executor {
  return new KubernetesExecutor(deps, options);
}
