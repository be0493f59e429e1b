/** Liveness, readiness, metrics and the OpenAPI document. */
import type { Middleware } from 'koa';
import type { Admission } from '../execution/admission.ts';
import type { Executor } from '../execution/executor.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { HttpProblem } from './problems.ts';
import { currentReadiness } from './readiness.ts';

/** The body of GET /health, exactly as the contract shows it. */
export const HEALTH_BODY = Object.freeze({ status: 'healthy', service: 'code-execution-service' });

/** GET /health: the process answers. */
export const healthHandler: Middleware = (ctx) => {
  ctx.body = HEALTH_BODY;
};

/** GET /ready: 200 when the executor can run code and the service is not shutting down, else 503 with the reason. */
export function readyHandler(deps: { executor: Executor; admission: Admission; logger: Logger }): Middleware {
  return async (ctx) => {
    if (deps.admission.closedReason !== undefined) throw new HttpProblem(503, deps.admission.closedReason);
    const readiness = await currentReadiness(deps.executor, deps.logger);
    if (!readiness.ready) throw new HttpProblem(503, readiness.reason);
    ctx.body = { ...readiness.details, status: 'ready', executor: deps.executor.kind, reason: readiness.reason };
  };
}

/** GET /metrics: the prom-client registry in the Prometheus text format. */
export function metricsHandler(metrics: Metrics): Middleware {
  return async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}

/** GET /openapi.json. */
export function openApiHandler(document: Readonly<Record<string, unknown>>): Middleware {
  return (ctx) => {
    ctx.body = document;
  };
}
