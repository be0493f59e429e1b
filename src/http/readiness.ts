import type { Executor, Readiness } from '../execution/executor.ts';
import type { Logger } from '../telemetry/logger.ts';

/**
 * The executor's readiness, with a failing check counted as "not ready" (logged), so that /ready
 * and POST /items answer the same 503 for it.
 */
export async function currentReadiness(executor: Executor, logger: Logger): Promise<Readiness> {
  try {
    return await executor.readiness();
  } catch (error) {
    logger.error({ err: error }, 'readiness check failed');
    return { ready: false, reason: 'the readiness check failed' };
  }
}
