/** Builds the app for HTTP tests, with settings from the one table plus overrides, and captured logs. */
import http from 'node:http';
import type Koa from 'koa';
import { loadSettings, type Settings } from '../../src/config/settings.ts';
import { Admission } from '../../src/execution/admission.ts';
import type { Executor } from '../../src/execution/executor.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger, type Logger } from '../../src/telemetry/logger.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';

export interface TestApp {
  readonly app: Koa;
  readonly settings: Settings;
  readonly metrics: Metrics;
  readonly admission: Admission;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
}

/** Settings as the service would load them from `env`, then `overrides`. */
export function testSettings(overrides: Partial<Settings> = {}, env: NodeJS.ProcessEnv = {}): Settings {
  return { ...loadSettings({ LOG_LEVEL: 'info', ...env }), ...overrides };
}

/** A logger that keeps every line (parsed) and a fresh metrics registry. */
export function testTelemetry(settings: Settings): { logger: Logger; logs: Record<string, unknown>[]; metrics: Metrics } {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger(settings.logLevel, {
    write: (line: string) => {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, logs, metrics: new Metrics({ defaultMetrics: false }) };
}

/** The real app around `executor` (built with `telemetry` when the executor shares it). */
export function buildTestApp(
  executor: Executor,
  overrides: Partial<Settings> = {},
  telemetry: ReturnType<typeof testTelemetry> = testTelemetry(testSettings(overrides)),
): TestApp {
  const settings = testSettings(overrides);
  const { logger, logs, metrics } = telemetry;
  const admission = new Admission({ executor, settings, metrics });
  const app = createApp({ executor, settings, logger, metrics, admission });
  return { app, settings, metrics, admission, logs };
}

/** An http.Server around the app, not listening (supertest listens on demand). */
export function serverFor(app: Koa): http.Server {
  const handle = app.callback();
  return http.createServer((req, res) => {
    void handle(req, res);
  });
}

/** The parts of a JSON answer the tests read. */
export interface Answer {
  readonly id: string;
  readonly name?: string;
  readonly detail: string;
  readonly data: Record<string, unknown>;
}

/** A supertest response body, typed. */
export function answer(res: { body: unknown }): Answer {
  return res.body as Answer;
}
