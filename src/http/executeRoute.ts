/**
 * POST /items: validate, admit, run, answer. One log line when an execution is requested and one
 * when it ends, both with the execution id; the code itself is never logged at info.
 */
import type { Context, Middleware } from 'koa';
import type { Admission } from '../execution/admission.ts';
import { ExecutionFailure, timeoutDetail } from '../execution/errors.ts';
import type { Executor } from '../execution/executor.ts';
import type { ExecutionRequest, ExecutionResult } from '../execution/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { abortOnClientDisconnect } from './clientDisconnect.ts';
import { parseExecuteRequest, type ExecuteRequestSchema, type RequestRules } from './executeRequest.ts';
import { newExecutionId } from './executionId.ts';
import { HttpProblem } from './problems.ts';
import { currentReadiness } from './readiness.ts';

/** What the execute route is built from. */
export interface ExecuteRouteDependencies {
  readonly admission: Admission;
  readonly executor: Executor;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly rules: RequestRules;
  readonly schema: ExecuteRequestSchema;
}

/**
 * 415 unless the body is declared as JSON (checked before the body is read). The header alone
 * decides: an empty JSON body goes on to validation (422), not to a misleading 415.
 */
export const requireJsonBody: Middleware = async (ctx, next) => {
  if (ctx.request.type !== 'application/json') throw new HttpProblem(415, 'Content-Type must be application/json');
  await next();
};

/** The answer for an execution that ran: 200 with the result, or 408 for a timeout. */
function sendResult(ctx: Context, request: ExecutionRequest, result: ExecutionResult): void {
  if (result.status === 'timeout') {
    throw new HttpProblem(408, timeoutDetail(request.timeoutSeconds), { extra: { id: request.id } });
  }
  ctx.body = {
    id: request.id,
    name: request.name,
    data: {
      ...result.details,
      output: result.output,
      error: result.error,
      execution_time_ms: result.executionTimeMs,
      status: result.status,
    },
  };
}

/** The outcome of a failed execution, for the log. */
function failureOutcome(error: unknown): { outcome: string; level: 'info' | 'warn' } {
  if (!(error instanceof ExecutionFailure)) return { outcome: 'failure', level: 'warn' };
  return { outcome: error.kind, level: error.kind === 'aborted' ? 'info' : 'warn' };
}

async function ensureReady(deps: ExecuteRouteDependencies): Promise<void> {
  const readiness = await currentReadiness(deps.executor, deps.logger);
  if (!readiness.ready) {
    deps.metrics.rejected.inc({ reason: 'unavailable' });
    throw new ExecutionFailure('unavailable', readiness.reason);
  }
}

/** The handler of POST /items (after requireJsonBody and the body parser). */
export function executeHandler(deps: ExecuteRouteDependencies): Middleware {
  return async (ctx) => {
    const body = parseExecuteRequest(deps.schema, deps.rules, ctx.request.body);
    await ensureReady(deps);
    const request: ExecutionRequest = { id: newExecutionId(), ...body };
    (ctx.state as { executionId?: string }).executionId = request.id;
    const log = deps.logger.child({ executionId: request.id });
    log.info(
      { name: request.name, codeBytes: Buffer.byteLength(request.code), stdinBytes: Buffer.byteLength(request.stdin), timeoutSeconds: request.timeoutSeconds },
      'execution requested',
    );
    const startedAt = performance.now();
    const elapsedMs = (): number => Math.round(performance.now() - startedAt);
    const client = abortOnClientDisconnect(ctx.res);
    let result: ExecutionResult;
    try {
      result = await deps.admission.execute(request, client.signal);
    } catch (error) {
      const { outcome, level } = failureOutcome(error);
      log[level]({ outcome, durationMs: elapsedMs(), reason: error instanceof ExecutionFailure ? error.message : undefined }, 'execution failed');
      throw error;
    } finally {
      client.release();
    }
    log.info({ outcome: result.status, durationMs: elapsedMs(), executionTimeMs: result.executionTimeMs }, 'execution finished');
    sendResult(ctx, request, result);
  };
}
