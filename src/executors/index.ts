/**
 * Chooses the executor named by settings.executor. Each executor is loaded with a dynamic import,
 * so the local default never loads the Kubernetes client.
 */
import type { Executor, ExecutorDependencies } from '../execution/executor.ts';

/** Builds (does not start) the configured executor. */
export async function createExecutor(deps: ExecutorDependencies): Promise<Executor> {
  if (deps.settings.executor === 'kubernetes') {
    const { createKubernetesExecutor } = await import('./kubernetes/index.ts');
    return createKubernetesExecutor(deps);
  }
  const { createLocalExecutor } = await import('./local/index.ts');
  return createLocalExecutor(deps);
}
