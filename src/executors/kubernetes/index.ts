/**
 * The Kubernetes executor's entry point, imported dynamically by src/executors/index.ts when
 * settings.executor === 'kubernetes'.
 */
import type { Executor, ExecutorDependencies } from '../../execution/executor.ts';
import { KubernetesExecutor, type KubernetesExecutorOptions } from './executor.ts';

export type { KubernetesExecutorOptions } from './executor.ts';

/** Builds the Kubernetes executor (credentials from settings.kubeconfig, or kubectl's default search). */
export function createKubernetesExecutor(deps: ExecutorDependencies, options: KubernetesExecutorOptions = {}): Executor {
  return new KubernetesExecutor(deps, options);
}
