/**
 * The Jobs' bookkeeping outside one execution's happy path: deleting them (abort, shutdown,
 * failures to start), labelling finished ones with their outcome, and sweeping old ones.
 * Every pending API call is tracked and bounded in time, so close() can wait for all of them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Settings } from '../../config/settings.ts';
import type { ExecutionStatus } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { activeDeadlineSeconds } from './jobSpec.ts';
import { apiErrorMessage, apiStatusCode, callApi, type KubeClients } from './kubeApi.ts';
import { OUTCOME_LABEL, outcomeLabelValue, sandboxSelector } from './labels.ts';

/** Attempts to delete one Job before giving up (and logging it as left behind)... */
const DELETE_ATTEMPTS = 3;
const DELETE_RETRY_MS = 250;
/** ...all within this many per-call timeouts: a silent API server cannot hold a run (or close()) longer. */
const DELETE_BUDGET_CALLS = 1.5;

/** Deletes, labels and sweeps the service's Jobs. */
export class JobKeeper {
  private readonly clients: KubeClients;
  private readonly settings: Settings;
  private readonly pending = new Set<Promise<unknown>>();
  /**
   * Jobs the next sweep deletes whatever their age (name -> since when): those whose deletion
   * failed, and those whose creation got no answer (the API server may still carry it out).
   */
  private readonly leftBehind = new Map<string, number>();
  /** Aborted by close(): stops a sweep's list (deletions still run, bounded by their budget). */
  private readonly lifetime = new AbortController();

  constructor(clients: KubeClients, settings: Settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /** Deletes a Job and, in the background, its pods (propagationPolicy Background). A missing Job is fine. */
  async deleteJob(name: string, logger: Logger): Promise<void> {
    await this.track(this.deleteWithRetries(name, logger));
  }

  /**
   * Deletes a Job whose creation got no answer, and remembers it: a create the API server carries
   * out after we gave up leaves a Job that the next sweep deletes, whatever its age.
   */
  async deleteAbandoned(name: string, logger: Logger): Promise<void> {
    // Deleted: it existed, so no create of that name is still on its way.
    if ((await this.track(this.deleteWithRetries(name, logger))) !== 'deleted') this.leftBehind.set(name, Date.now());
  }

  /** Labels a finished Job with its outcome, in the background; close() waits for it. */
  markOutcome(name: string, status: ExecutionStatus, logger: Logger): void {
    const patch = [{ op: 'add', path: `/metadata/labels/${escapeJsonPointer(OUTCOME_LABEL)}`, value: outcomeLabelValue(status) }];
    void this.track(
      callApi(this.clients, undefined, (options) => this.clients.batch.patchNamespacedJob({ name, namespace: this.settings.k8sNamespace, body: patch }, options))
        .then(() => undefined)
        .catch((error: unknown) => {
          // 404: the Job was deleted meanwhile (from outside, or by its TTL); nothing to label.
          if (apiStatusCode(error) === 404) logger.debug({ job: name }, 'the Job is gone; no outcome label');
          else logger.warn({ err: error, job: name }, `cannot label the Job's outcome: ${apiErrorMessage(error)}`);
        }),
    );
  }

  /**
   * Deletes the service's Jobs older than their TTL plus the longest deadline (finished for
   * longer than Kubernetes should have kept them: the TTL controller is off, or was down), and the
   * ones left behind. Returns how many were deleted.
   */
  async sweep(logger: Logger, now: Date = new Date()): Promise<number> {
    const maxAgeMs = (this.settings.k8sTtlSecondsAfterFinished + activeDeadlineSeconds(this.settings.maxTimeoutSeconds, this.settings)) * 1000;
    // Past this, a Job left behind (or created late) is old enough to be swept for its age.
    for (const [name, since] of this.leftBehind) if (now.getTime() - since > maxAgeMs) this.leftBehind.delete(name);
    const list = await callApi(this.clients, this.lifetime.signal, (options) =>
      this.clients.batch.listNamespacedJob({ namespace: this.settings.k8sNamespace, labelSelector: sandboxSelector() }, options),
    );
    const due = list.items
      .map((job) => ({ name: job.metadata?.name ?? '', created: job.metadata?.creationTimestamp }))
      .filter(({ name, created }) => this.leftBehind.has(name) || (created !== undefined && now.getTime() - new Date(created).getTime() > maxAgeMs));
    for (const { name } of due) this.leftBehind.delete(name);
    await Promise.all(due.map(({ name }) => this.deleteJob(name, logger)));
    if (due.length > 0) logger.info({ deleted: due.length }, 'swept old sandbox Jobs');
    return due.length;
  }

  /** Stops sweeping and resolves when every delete and label call started so far has settled. */
  async close(): Promise<void> {
    this.lifetime.abort(new Error('the executor is shutting down'));
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deleteWithRetries(name: string, logger: Logger): Promise<'deleted' | 'absent' | 'failed'> {
    const giveUpAt = Date.now() + this.clients.apiTimeoutMs * DELETE_BUDGET_CALLS;
    for (let attempt = 1; ; attempt += 1) {
      const left = giveUpAt - Date.now();
      try {
        await callApi(
          this.clients,
          undefined,
          (options) => this.clients.batch.deleteNamespacedJob({ name, namespace: this.settings.k8sNamespace, propagationPolicy: 'Background' }, options),
          Math.min(this.clients.apiTimeoutMs, left),
        );
        logger.debug({ job: name }, 'sandbox Job deleted');
        return 'deleted';
      } catch (error) {
        if (apiStatusCode(error) === 404) return 'absent';
        const pause = DELETE_RETRY_MS * attempt;
        if (attempt === DELETE_ATTEMPTS || giveUpAt - Date.now() <= pause) {
          logger.error({ err: error, job: name, attempts: attempt }, `cannot delete the sandbox Job; the next sweep tries again: ${apiErrorMessage(error)}`);
          this.leftBehind.set(name, Date.now());
          return 'failed';
        }
        await sleep(pause);
      }
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }
}

/** RFC 6901: `/` in a label key becomes `~1`. */
function escapeJsonPointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
