/**
 * The one place where errors become answers: every failure is `{"detail": ...}` with its status.
 * Messages reach the client only when they are meant for it (HttpProblem, ExecutionFailure, an
 * exposed 4xx from the body parser); anything else is a 500 with a generic detail, logged here.
 */
import type { Context, Middleware } from 'koa';
import { ExecutionFailure, type ExecutionFailureKind } from '../execution/errors.ts';
import type { Logger } from '../telemetry/logger.ts';
import { HttpProblem } from './problems.ts';

/** Status of each execution failure. 499: nginx's "client closed request"; nobody reads it. */
export const FAILURE_STATUS: Readonly<Record<ExecutionFailureKind, number>> = {
  unavailable: 503,
  interrupted: 502,
  overloaded: 429,
  aborted: 499,
};

/** What the middleware needs to know. */
export interface ErrorMiddlewareOptions {
  readonly logger: Logger;
  readonly retryAfterSeconds: number;
  readonly bodyLimitBytes: number;
}

/** An error from the body parser (raw-body, co-body) or koa's ctx.throw (http-errors). */
interface ExposedHttpError {
  status: number;
  expose: boolean;
  message: string;
  type?: string;
}

function isHttpError(error: unknown): error is ExposedHttpError {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Partial<ExposedHttpError>;
  return typeof status === 'number' && expose === true && status >= 400 && status < 500;
}

/** co-body marks a JSON syntax error with status 400 only (no `expose`). */
function isJsonSyntaxError(error: unknown): error is SyntaxError {
  return error instanceof SyntaxError && (error as Partial<ExposedHttpError>).status === 400;
}

/** Body-parser errors, in our words. */
function fromHttpError(error: ExposedHttpError, options: ErrorMiddlewareOptions): HttpProblem {
  if (error.status === 413) return new HttpProblem(413, `request body is larger than ${options.bodyLimitBytes} bytes`);
  return new HttpProblem(error.status, error.message);
}

function fromFailure(failure: ExecutionFailure, options: ErrorMiddlewareOptions): HttpProblem {
  const status = FAILURE_STATUS[failure.kind];
  const headers: Record<string, string> = status === 429 ? { 'Retry-After': String(options.retryAfterSeconds) } : {};
  return new HttpProblem(status, failure.message, { headers });
}

/** The problem an error stands for, or undefined for an unexpected error (500). */
export function toProblem(error: unknown, options: ErrorMiddlewareOptions): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ExecutionFailure) return fromFailure(error, options);
  if (isJsonSyntaxError(error)) return new HttpProblem(400, `request body is not valid JSON (${error.message})`);
  if (isHttpError(error)) return fromHttpError(error, options);
  return undefined;
}

function respond(ctx: Context, problem: HttpProblem): void {
  ctx.status = problem.status;
  ctx.set(problem.headers);
  ctx.body = { detail: problem.message, ...problem.extra };
}

/** The outermost middleware of the app. */
export function errorMiddleware(options: ErrorMiddlewareOptions): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const problem = toProblem(error, options);
      if (problem === undefined) {
        const executionId = (ctx.state as { executionId?: string }).executionId;
        options.logger.error({ err: error, path: ctx.path, executionId }, 'unexpected error');
      }
      respond(ctx, problem ?? new HttpProblem(500, 'internal server error'));
    }
  };
}
