/**
 * A real cluster, for the e2e suite and the lab benchmark: the namespace prerequisites the chart
 * would install (the sandbox ServiceAccount and deny-all NetworkPolicy, rendered from the chart
 * itself), and what the executions left behind (Jobs, their outcome label, their pods).
 */
import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import { EXECUTION_ID_LABEL, OUTCOME_LABEL, sandboxSelector } from '../../../src/executors/kubernetes/labels.ts';
import { parseManifests, renderChart } from '../../../scripts/lib/chart.ts';
import type { E2eTarget } from './environment.ts';

/** Release name used to render the chart's sandbox objects for the e2e suite. */
const E2E_RELEASE = 'e2e';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 250 ms until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** The client side of one e2e target. */
export class LabCluster {
  readonly kubeConfig = new KubeConfig();
  readonly batch: BatchV1Api;
  readonly core: CoreV1Api;
  private readonly objects: KubernetesObjectApi;
  private readonly created: KubernetesObject[] = [];
  readonly target: E2eTarget;

  constructor(target: E2eTarget) {
    this.target = target;
    this.kubeConfig.loadFromFile(target.kubeconfig);
    this.batch = this.kubeConfig.makeApiClient(BatchV1Api);
    this.core = this.kubeConfig.makeApiClient(CoreV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(this.kubeConfig);
  }

  /** Fails with a readable message unless the cluster answers and holds the namespace and image. */
  async checkReachable(): Promise<void> {
    try {
      await this.core.readNamespace({ name: this.target.namespace });
    } catch (error) {
      throw new Error(`the cluster in ${this.target.kubeconfig} did not answer, or has no namespace ${this.target.namespace}: ${(error as Error).message}`, { cause: error });
    }
    if (this.target.imagePullPolicy === 'Never') await this.checkImagePresent();
  }

  /**
   * With imagePullPolicy Never the runner image must already be on a node. The kubelet refreshes
   * the node's image list only every minute or so, so a missing entry is a warning, not a failure
   * (a missing image then shows as the executor's 503 naming ErrImageNeverPull).
   */
  private async checkImagePresent(): Promise<void> {
    const nodes = await this.core.listNode();
    const wanted = this.target.runnerImage;
    const names = nodes.items.flatMap((node) => (node.status?.images ?? []).flatMap((image) => image.names ?? []));
    if (!names.some((name) => name === wanted || name === `docker.io/library/${wanted}`)) {
      console.warn(`    warning: no node lists the runner image ${wanted} (yet); if it is missing: make image-runner`);
    }
  }

  /**
   * Creates the chart's sandbox ServiceAccount and deny-all NetworkPolicy in the namespace (what
   * the service's preflight requires), as the chart renders them. Returns the ServiceAccount name.
   */
  async installSandboxPrerequisites(): Promise<string> {
    const rendered = parseManifests(renderChart({ release: E2E_RELEASE, namespace: this.target.namespace, includeTests: false }));
    const wanted = rendered.filter(
      (o) => (o.kind === 'ServiceAccount' || o.kind === 'NetworkPolicy') && o.metadata.labels?.['app.kubernetes.io/component'] === 'sandbox',
    );
    if (wanted.length !== 2) throw new Error(`expected the chart's sandbox ServiceAccount and NetworkPolicy, found ${wanted.length} objects`);
    for (const object of wanted) {
      await this.deleteIfPresent(object);
      this.created.push(await this.objects.create(object));
    }
    const account = wanted.find((o) => o.kind === 'ServiceAccount');
    return account?.metadata.name ?? '';
  }

  /** Removes what installSandboxPrerequisites created. */
  async removeSandboxPrerequisites(): Promise<void> {
    for (const object of this.created.splice(0)) await this.deleteIfPresent(object);
  }

  private async deleteIfPresent(object: KubernetesObject): Promise<void> {
    try {
      await this.objects.delete(object);
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }

  /** The Jobs of one execution (normally exactly one). */
  async jobsOf(executionId: string): Promise<V1Job[]> {
    const list = await this.batch.listNamespacedJob({ namespace: this.target.namespace, labelSelector: `${EXECUTION_ID_LABEL}=${executionId}` });
    return list.items;
  }

  /** The pods of one execution. */
  async podsOf(executionId: string): Promise<V1Pod[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.target.namespace, labelSelector: `${EXECUTION_ID_LABEL}=${executionId}` });
    return list.items;
  }

  /** Waits until the execution's Job carries an outcome label and returns it. */
  async outcomeOf(executionId: string, timeoutMs = 15_000): Promise<string> {
    return waitFor(`the outcome label on the Job of ${executionId}`, timeoutMs, async () => {
      const jobs = await this.jobsOf(executionId);
      if (jobs.length > 1) throw new Error(`execution ${executionId} has ${jobs.length} Jobs`);
      return jobs[0]?.metadata?.labels?.[OUTCOME_LABEL];
    });
  }

  /** Waits until no pod of the execution is Pending or Running any more. */
  async waitForNoRunningPods(executionId: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(`the pods of ${executionId} to stop`, timeoutMs, async () => {
      const pods = await this.podsOf(executionId);
      return pods.every((pod) => !['Pending', 'Running'].includes(pod.status?.phase ?? '')) ? true : undefined;
    });
  }

  /** Sandbox pods still Pending or Running in the namespace. */
  async runningSandboxPods(): Promise<string[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.target.namespace, labelSelector: sandboxSelector() });
    return list.items.filter((pod) => ['Pending', 'Running'].includes(pod.status?.phase ?? '')).map((pod) => pod.metadata?.name ?? '');
  }

  /** Deletes the Jobs (and so the pods) of the given executions. */
  async deleteExecutions(executionIds: readonly string[]): Promise<void> {
    for (const id of executionIds) {
      for (const job of await this.jobsOf(id)) {
        try {
          await this.batch.deleteNamespacedJob({ name: job.metadata?.name ?? '', namespace: this.target.namespace, propagationPolicy: 'Background' });
        } catch (error) {
          if ((error as { code?: number }).code !== 404) throw error;
        }
      }
    }
  }
}
