/**
 * The Kubernetes executor wired to a fresh fake API server: what the integration tests and the
 * overhead benchmark start from. The executor talks to the fake over HTTP with the real client.
 */
import { randomBytes } from 'node:crypto';
import { loadSettings, type Settings } from '../../../src/config/settings.ts';
import type { Executor } from '../../../src/execution/executor.ts';
import type { ExecutionRequest } from '../../../src/execution/types.ts';
import { createKubernetesExecutor } from '../../../src/executors/kubernetes/index.ts';
import { SANDBOX_POD_LABELS } from '../../../src/executors/kubernetes/labels.ts';
import { createLogger } from '../../../src/telemetry/logger.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import { FakeKubeApi, type FakeKubeApiOptions } from './server.ts';
import type { KubeObject } from './store.ts';

export const NAMESPACE = 'learnflow';

/** A running fake and an executor pointed at it. */
export interface FakeKubernetes {
  readonly api: FakeKubeApi;
  readonly executor: Executor;
  readonly settings: Settings;
  readonly metrics: Metrics;
  /** A request with a fresh id. */
  request(code: string, extra?: Partial<Omit<ExecutionRequest, 'id' | 'code'>>): ExecutionRequest;
  /** Closes the executor, then the fake. */
  close(): Promise<void>;
}

/** What to start. */
export interface FakeKubernetesOptions {
  /** Environment-style settings (names as in settings.ts) on top of the test defaults. */
  readonly env?: Readonly<Record<string, string>>;
  readonly fake?: FakeKubeApiOptions;
  /** Install the chart's deny-all NetworkPolicy (default true). */
  readonly denyAllPolicy?: boolean;
  /** Called before the executor starts (grant/deny permissions, add objects). */
  readonly prepare?: (api: FakeKubeApi) => void;
  /** Call executor.start() (default true). */
  readonly start?: boolean;
  readonly preflightMaxAgeMs?: number;
  /** The executor's re-list interval for quiet watches (default 250 ms, to keep tests short). */
  readonly resyncMs?: number;
  /** The executor's per-call API timeout (default: production's). */
  readonly apiTimeoutMs?: number;
  /** The executor's pause between sweeps of old Jobs (default: production's). */
  readonly sweepIntervalMs?: number;
  readonly logLevel?: string;
  /** Receives the executor's log lines (JSON), e.g. to check a warning. */
  readonly logLines?: string[];
}

/** The chart's sandbox NetworkPolicy: selects the sandbox pods, denies everything. */
export function denyAllPolicy(name = 'sandbox-deny-all', matchLabels: Record<string, string> = { ...SANDBOX_POD_LABELS }): KubeObject {
  return { metadata: { name, namespace: NAMESPACE }, spec: { podSelector: { matchLabels }, policyTypes: ['Ingress', 'Egress'] } };
}

/** Starts a fake API server and a Kubernetes executor that uses it. */
export async function startFakeKubernetes(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  const api = await FakeKubeApi.start(options.fake);
  if (options.denyAllPolicy ?? true) api.put('networkpolicies', denyAllPolicy());
  options.prepare?.(api);
  const settings = loadSettings({
    EXECUTOR: 'kubernetes',
    K8S_NAMESPACE: NAMESPACE,
    K8S_RUNNER_IMAGE: 'fake.local/learnflow-runner:test',
    K8S_IMAGE_PULL_POLICY: 'Never',
    K8S_STARTUP_ALLOWANCE_SECONDS: '5',
    ...options.env,
  });
  const metrics = new Metrics({ defaultMetrics: false });
  const lines = options.logLines;
  const logger = lines ? createLogger(options.logLevel ?? 'info', { write: (line: string) => void lines.push(line) }) : createLogger(options.logLevel ?? 'silent');
  const executor = createKubernetesExecutor(
    { settings, logger, metrics },
    {
      kubeConfig: api.kubeConfig(NAMESPACE),
      resyncMs: options.resyncMs ?? 250,
      ...(options.preflightMaxAgeMs === undefined ? {} : { preflightMaxAgeMs: options.preflightMaxAgeMs }),
      ...(options.apiTimeoutMs === undefined ? {} : { apiTimeoutMs: options.apiTimeoutMs }),
      ...(options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs }),
    },
  );
  if (options.start ?? true) await executor.start();
  return {
    api,
    executor,
    settings,
    metrics,
    request: (code, extra = {}) => ({ id: `exec-${randomBytes(12).toString('hex')}`, name: 'test', stdin: '', timeoutSeconds: 5, ...extra, code }),
    close: async () => {
      await executor.close();
      await api.close();
    },
  };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, got a result');
}
