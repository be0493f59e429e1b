/**
 * The Koa application: routes, body parsing, validation and the error middleware. It knows the
 * Executor interface only, never a concrete executor. No listen() here: main.ts serves it, tests
 * drive app.callback() with supertest.
 */
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Settings } from '../config/settings.ts';
import { Admission } from '../execution/admission.ts';
import type { Executor } from '../execution/executor.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { errorMiddleware } from './errorMiddleware.ts';
import { createExecuteRequestSchema, requestRulesFromSettings } from './executeRequest.ts';
import { executeHandler, requireJsonBody } from './executeRoute.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { healthHandler, metricsHandler, openApiHandler, readyHandler } from './probeRoutes.ts';
import { HttpProblem } from './problems.ts';

/** Kong routes `/api/execute/*` here with the prefix stripped; direct callers may keep it. */
export const PATH_PREFIXES = ['', '/api/execute'] as const;

/** Version of the API contract, shown in the OpenAPI document. */
export const API_VERSION = '1.0.0';

/** What the app is built from. */
export interface AppDependencies {
  readonly executor: Executor;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The admission queue; main.ts passes its own to drain it on shutdown. Default: a new one. */
  readonly admission?: Admission;
}

/** Turns "no route" and "wrong method" (left empty by the router) into JSON problems. */
const unmatchedRoutes: Middleware = async (ctx, next) => {
  await next();
  if (ctx.body !== undefined && ctx.body !== null) return;
  if (ctx.status === 404) throw new HttpProblem(404, `no route for ${ctx.method} ${ctx.path}`);
  if (ctx.status === 405 || ctx.status === 501) {
    const allow = ctx.response.get('Allow');
    throw new HttpProblem(ctx.status, `method ${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`, {
      headers: { Allow: allow },
    });
  }
};

/** Builds the application (routes under both path prefixes). */
export function createApp(deps: AppDependencies): Koa {
  const { executor, settings, logger, metrics } = deps;
  const admission = deps.admission ?? new Admission({ executor, settings, metrics });
  const rules = requestRulesFromSettings(settings);
  const execute = [
    requireJsonBody,
    bodyParser({ enableTypes: ['json'], jsonLimit: `${settings.bodyLimitBytes}b`, strict: true }),
    executeHandler({ admission, executor, logger, metrics, rules, schema: createExecuteRequestSchema(rules) }),
  ];
  const ready = readyHandler({ executor, admission, logger });
  const metricsRoute = metricsHandler(metrics);
  const openApi = openApiHandler(buildOpenApiDocument(rules, API_VERSION));

  const router = new Router();
  for (const prefix of PATH_PREFIXES) {
    router.post(`${prefix}/items`, ...execute);
    router.get(`${prefix}/health`, healthHandler);
    router.get(`${prefix}/ready`, ready);
    router.get(`${prefix}/metrics`, metricsRoute);
    router.get(`${prefix}/openapi.json`, openApi);
  }

  const app = new Koa();
  app.use(errorMiddleware({ logger, retryAfterSeconds: settings.retryAfterSeconds, bodyLimitBytes: settings.bodyLimitBytes }));
  app.use(unmatchedRoutes);
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Errors that escape the middleware (a failed write to a closed socket): log, never print.
  app.on('error', (error: unknown) => logger.warn({ err: error }, 'response error'));
  return app;
}
