/**
 * The Kubernetes clients the executor uses, all from one KubeConfig; every API call bounded by a
 * per-call timeout and a stop signal (callApi); and the reading of the clients' errors
 * (client-node's ApiException carries the HTTP code and the Status body as text).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ApiException,
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  NetworkingV1Api,
  Observable,
  Watch,
  type ConfigurationOptions,
} from '@kubernetes/client-node';
import type { Settings } from '../../config/settings.ts';

/** One KubeConfig, the API groups built from it, and how long one call may take. */
export interface KubeClients {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly networking: NetworkingV1Api;
  readonly authorization: AuthorizationV1Api;
  readonly watch: Watch;
  readonly log: Log;
  /** Longest wait for one API call's answer (client-node's own limits are undici's: 300 s). */
  readonly apiTimeoutMs: number;
}

/** Where a pod finds its service account's credentials (what loadFromCluster reads). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The cluster credentials, in kubectl's order: the kubeconfig file(s) named in the settings
 * (`:`-separated, merged, the first file to set a value wins, missing files skipped), else
 * ~/.kube/config, else the pod's in-cluster service account. Throws when there is none: never the
 * client's silent last resort (http://localhost:8080).
 */
export function loadKubeConfig(settings: Pick<Settings, 'kubeconfig'>): KubeConfig {
  const files = settings.kubeconfig.split(path.delimiter).filter((file) => file !== '');
  if (files.length > 0) return loadMerged(files);
  const kubeConfig = new KubeConfig();
  const home = path.join(os.homedir(), '.kube', 'config');
  if (existsSync(home)) kubeConfig.loadFromFile(home);
  else if (existsSync(SERVICE_ACCOUNT_TOKEN)) kubeConfig.loadFromCluster();
  else throw new Error(`no credentials: KUBECONFIG is empty, ${home} does not exist and ${SERVICE_ACCOUNT_TOKEN} (in-cluster) neither`);
  return kubeConfig;
}

/** kubectl's merge of a KUBECONFIG list; client-node's own lets the last current-context win and fails on duplicates. */
function loadMerged(files: readonly string[]): KubeConfig {
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) throw new Error(`no kubeconfig file exists: ${files.join(', ')}`);
  const [first = '', ...rest] = present;
  const merged = new KubeConfig();
  merged.loadFromFile(first);
  for (const file of rest) {
    const next = new KubeConfig();
    next.loadFromFile(file);
    mergeInto(merged, next);
  }
  return merged;
}

/** The first file to set a value wins: `next` only fills in what `merged` lacks. */
function mergeInto(merged: KubeConfig, next: KubeConfig): void {
  if (!merged.currentContext) merged.currentContext = next.currentContext;
  for (const cluster of next.getClusters()) if (merged.getCluster(cluster.name) === null) merged.addCluster(cluster);
  for (const user of next.getUsers()) if (merged.getUser(user.name) === null) merged.addUser(user);
  for (const context of next.getContexts()) if (merged.getContextObject(context.name) === null) merged.addContext(context);
}

/** Builds every client the executor needs from one KubeConfig. */
export function createKubeClients(kubeConfig: KubeConfig, apiTimeoutMs: number): KubeClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    authorization: kubeConfig.makeApiClient(AuthorizationV1Api),
    watch: new Watch(kubeConfig),
    log: new Log(kubeConfig),
    apiTimeoutMs,
  };
}

/** The API server did not answer one call in time. */
export class ApiTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the Kubernetes API server did not answer within ${describeMs(timeoutMs)}`);
    this.name = 'ApiTimeoutError';
  }
}

/** The per-call options handed to a client-node API method. */
export type CallOptions = ConfigurationOptions;

/**
 * Makes one API call that ends within `timeoutMs` (default: the clients' per-call timeout) or
 * when `stop` fires: it rejects with ApiTimeoutError or with `stop.reason`, and the request is
 * aborted. client-node 2.x takes no signal argument; a per-call middleware gives the request's
 * context the signal that undici's fetch honours. The race covers what runs before the request
 * (credential plugins): whatever answers later is dropped.
 */
export async function callApi<T>(
  clients: Pick<KubeClients, 'apiTimeoutMs'>,
  stop: AbortSignal | undefined,
  call: (options: CallOptions) => Promise<T>,
  timeoutMs = clients.apiTimeoutMs,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ApiTimeoutError(timeoutMs)), timeoutMs);
  const signal = stop === undefined ? deadline.signal : AbortSignal.any([stop, deadline.signal]);
  try {
    const answer = call(withSignal(signal));
    answer.catch(() => undefined); // a late failure after the race was lost is nobody's business
    return await Promise.race([answer, rejectOnAbort(signal)]);
  } finally {
    clearTimeout(timer);
  }
}

function withSignal(signal: AbortSignal): CallOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** Rejects with the signal's reason when it fires (never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fire = (): void => reject(signal.reason as Error);
    if (signal.aborted) fire();
    else signal.addEventListener('abort', fire, { once: true });
  });
}

function describeMs(ms: number): string {
  const seconds = ms / 1000;
  return `${String(Number(seconds.toFixed(3)))} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/** The HTTP status of a failed API call, or undefined for other errors (network, abort, timeout). */
export function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? (error as ApiException<unknown>).code : undefined;
}

/** The Status message the API server sent with an error, else the error's own message. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = (error as ApiException<unknown>).body;
    const status = typeof body === 'string' ? parseJson(body) : body;
    if (typeof status === 'object' && status !== null && typeof (status as { message?: unknown }).message === 'string') {
      return (status as { message: string }).message;
    }
    return `HTTP ${(error as ApiException<unknown>).code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
