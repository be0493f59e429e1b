/**
 * The Kubernetes clients the executor uses, all from one KubeConfig, and the reading of their
 * errors (client-node's ApiException carries the HTTP code and the Status body as text).
 */
import {
  ApiException,
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  NetworkingV1Api,
  Watch,
} from '@kubernetes/client-node';
import type { Settings } from '../../config/settings.ts';

/** One KubeConfig and the API groups built from it. */
export interface KubeClients {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly networking: NetworkingV1Api;
  readonly authorization: AuthorizationV1Api;
  readonly watch: Watch;
  readonly log: Log;
}

/**
 * The cluster credentials: the kubeconfig file named in the settings, else the client's default
 * search (KUBECONFIG, ~/.kube/config, then the pod's in-cluster service account).
 */
export function loadKubeConfig(settings: Pick<Settings, 'kubeconfig'>): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (settings.kubeconfig !== '') kubeConfig.loadFromFile(settings.kubeconfig);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/** Builds every client the executor needs from one KubeConfig. */
export function createKubeClients(kubeConfig: KubeConfig): KubeClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    authorization: kubeConfig.makeApiClient(AuthorizationV1Api),
    watch: new Watch(kubeConfig),
    log: new Log(kubeConfig),
  };
}

/** The HTTP status of a failed API call, or undefined for other errors (network, abort). */
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
