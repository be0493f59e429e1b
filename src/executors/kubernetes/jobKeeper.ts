/**
 * The Jobs' bookkeeping outside one execution's happy path: deleting them (abort, shutdown,
 * failures to start), labelling finished ones with their outcome, and sweeping old ones.
 * Every pending API call is tracked, so close() can wait for all of them.
 */
import type { Settings } from '../../config/settings.ts';
import type { ExecutionStatus } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { activeDeadlineSeconds } from './jobSpec.ts';
import { apiErrorMessage, apiStatusCode, type KubeClients } from './kubeApi.ts';
import { OUTCOME_LABEL, outcomeLabelValue, sandboxSelector } from './labels.ts';

/** Attempts to delete one Job before giving up (and logging it as left behind). */
const DELETE_ATTEMPTS = 3;
const DELETE_RETRY_MS = 250;

/** Deletes, labels and sweeps the service's Jobs. */
export class JobKeeper {
  private readonly clients: KubeClients;
  private readonly settings: Settings;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(clients: KubeClients, settings: Settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /** Deletes a Job and, in the background, its pods (propagationPolicy Background). A missing Job is fine. */
  deleteJob(name: string, logger: Logger): Promise<void> {
    return this.track(this.deleteWithRetries(name, logger));
  }

  /** Labels a finished Job with its outcome, in the background; close() waits for it. */
  markOutcome(name: string, status: ExecutionStatus, logger: Logger): void {
    const patch = [{ op: 'add', path: `/metadata/labels/${escapeJsonPointer(OUTCOME_LABEL)}`, value: outcomeLabelValue(status) }];
    void this.track(
      this.clients.batch
        .patchNamespacedJob({ name, namespace: this.settings.k8sNamespace, body: patch })
        .then(() => undefined)
        .catch((error: unknown) => {
          // 404: the Job was deleted meanwhile (from outside, or by its TTL); nothing to label.
          if (apiStatusCode(error) === 404) logger.debug({ job: name }, 'the Job is gone; no outcome label');
          else logger.warn({ err: error, job: name }, `cannot label the Job's outcome: ${apiErrorMessage(error)}`);
        }),
    );
  }

  /**
   * Deletes the service's Jobs older than their TTL plus the longest deadline: finished for
   * longer than Kubernetes should have kept them (the TTL controller is off, or was down).
   * Returns how many were deleted.
   */
  async sweep(logger: Logger, now: Date = new Date()): Promise<number> {
    const maxAgeMs = (this.settings.k8sTtlSecondsAfterFinished + activeDeadlineSeconds(this.settings.maxTimeoutSeconds, this.settings)) * 1000;
    const list = await this.clients.batch.listNamespacedJob({ namespace: this.settings.k8sNamespace, labelSelector: sandboxSelector() });
    const old = list.items.filter((job) => {
      const created = job.metadata?.creationTimestamp;
      return created !== undefined && now.getTime() - new Date(created).getTime() > maxAgeMs;
    });
    await Promise.all(old.map((job) => this.deleteJob(job.metadata?.name ?? '', logger)));
    if (old.length > 0) logger.info({ deleted: old.length }, 'swept old sandbox Jobs');
    return old.length;
  }

  /** Resolves when every delete and label call started so far has settled. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deleteWithRetries(name: string, logger: Logger): Promise<void> {
    for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt += 1) {
      try {
        await this.clients.batch.deleteNamespacedJob({ name, namespace: this.settings.k8sNamespace, propagationPolicy: 'Background' });
        logger.debug({ job: name }, 'sandbox Job deleted');
        return;
      } catch (error) {
        if (apiStatusCode(error) === 404) return;
        if (attempt === DELETE_ATTEMPTS) {
          logger.error({ err: error, job: name }, `cannot delete the sandbox Job; it stays until the sweep: ${apiErrorMessage(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, DELETE_RETRY_MS * attempt));
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
