/**
 * Wiring: settings -> telemetry -> executor -> app -> server, and the shutdown on SIGTERM/SIGINT.
 * The server listens before the executor starts (its checks may wait on a slow cluster): /health
 * answers at once, /ready and executions answer 503 until the executor is ready. On a signal:
 * stop accepting connections, let in-flight executions finish for up to shutdownGraceSeconds,
 * then close the executor (it kills sandboxes / deletes Jobs) and exit 0. A second signal exits
 * at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidSettingsError, loadSettings, type Settings } from './config/settings.ts';
import { Admission } from './execution/admission.ts';
import { SHUTDOWN_REFUSAL } from './execution/errors.ts';
import type { Executor } from './execution/executor.ts';
import { createExecutor } from './executors/index.ts';
import { createApp } from './http/app.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { Metrics } from './telemetry/metrics.ts';

/** How long answers of stopped executions may take to go out before connections are cut. */
const FINAL_FLUSH_MS = 2000;

interface Service {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly executor: Executor;
  readonly admission: Admission;
  readonly server: http.Server;
}

function settingsOrExit(): Settings {
  try {
    return loadSettings();
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    process.stderr.write(`code-execution-service: invalid settings: ${error.message}\n`);
    process.exit(1);
  }
}

async function listen(server: http.Server, settings: Settings): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
  return `http://${host}:${port}`;
}

/** Waits until every connection has ended (answers sent), cutting idle keep-alive ones, for at most `ms`. */
async function closeConnections(server: http.Server, closed: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!closed() && Date.now() < deadline) {
    server.closeIdleConnections();
    await delay(25);
  }
  server.closeAllConnections();
}

async function shutdown(service: Service, signal: string): Promise<void> {
  const { server, admission, executor, logger, settings } = service;
  logger.info({ signal, running: admission.running, queued: admission.queued }, 'shutting down');
  let closed = false;
  server.close(() => {
    closed = true;
  });
  const finished = await admission.drain(SHUTDOWN_REFUSAL, settings.shutdownGraceSeconds * 1000);
  if (!finished) logger.warn({ running: admission.running }, 'grace period over: stopping in-flight executions');
  await executor.close();
  await closeConnections(server, () => closed, FINAL_FLUSH_MS);
  logger.info('stopped');
}

function handleSignals(service: Service): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    shutdown(service, signal).then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const logger = createLogger(settings.logLevel);
  const metrics = new Metrics();
  const executor = await createExecutor({ settings, logger, metrics });
  const admission = new Admission({ executor, settings, metrics });
  const app = createApp({ executor, settings, logger, metrics, admission });
  const handle = app.callback();
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  handleSignals({ settings, logger, executor, admission, server });
  const url = await listen(server, settings);
  logger.info({ url, executor: executor.kind }, 'listening; starting the executor');
  await executor.start();
  const readiness = await executor.readiness();
  const facts = { url, executor: executor.kind, ready: readiness.ready, reason: readiness.reason, ...readiness.details };
  if (readiness.ready) logger.info(facts, 'listening; ready to run code');
  else logger.warn(facts, 'listening, but NOT ready: no code will run until this is fixed');
}

main().catch((error: unknown) => {
  process.stderr.write(`code-execution-service: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
