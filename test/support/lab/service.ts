/**
 * The service, in-process, with the Kubernetes executor against a real cluster, served over real
 * HTTP on 127.0.0.1 (an ephemeral port): what the e2e suite and the lab benchmark talk to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSettings, type Settings } from '../../../src/config/settings.ts';
import { createKubernetesExecutor } from '../../../src/executors/kubernetes/index.ts';
import { createApp } from '../../../src/http/app.ts';
import { createLogger } from '../../../src/telemetry/logger.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import type { E2eTarget } from './environment.ts';

/** An HTTP response, parsed. */
export interface ServiceResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The running service. */
export interface LabService {
  readonly url: string;
  readonly settings: Settings;
  readonly metrics: Metrics;
  /** POST /items with `body` (JSON). */
  execute(body: unknown, signal?: AbortSignal): Promise<ServiceResponse>;
  /** GET a path. */
  get(path: string): Promise<ServiceResponse>;
  /** Closes the server and the executor (which deletes in-flight Jobs). */
  close(): Promise<void>;
}

/** The settings the service gets: the Kubernetes executor on `target`, plus `env` (variable names as in settings.ts). */
export function labSettings(target: E2eTarget, sandboxServiceAccount: string, env: Readonly<Record<string, string>> = {}): Settings {
  return loadSettings({
    EXECUTOR: 'kubernetes',
    KUBECONFIG: target.kubeconfig,
    K8S_NAMESPACE: target.namespace,
    K8S_RUNNER_IMAGE: target.runnerImage,
    K8S_IMAGE_PULL_POLICY: target.imagePullPolicy,
    K8S_SERVICE_ACCOUNT: sandboxServiceAccount,
    LOG_LEVEL: 'warn',
    ...env,
  });
}

async function parse(response: Response): Promise<ServiceResponse> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`HTTP ${response.status}: not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body };
}

/** Starts the executor and the app, listening on 127.0.0.1. */
export async function startLabService(settings: Settings): Promise<LabService> {
  const logger = createLogger(settings.logLevel);
  const metrics = new Metrics({ defaultMetrics: false });
  const executor = createKubernetesExecutor({ settings, logger, metrics });
  await executor.start();
  const app = createApp({ executor, settings, logger, metrics });
  const handler = app.callback();
  const server: Server = createServer((request, response) => {
    void handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    settings,
    metrics,
    execute: async (body, signal) =>
      parse(await fetch(`${url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })),
    get: async (path) => parse(await fetch(`${url}${path}`)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await executor.close();
    },
  };
}
