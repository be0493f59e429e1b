/**
 * Follows the pod of one execution: a list, then a watch from the list's resourceVersion, and a
 * re-list whenever the watch ends, reports an error (410 Gone) or stays quiet for `resyncMs`.
 * Watches drop events (STYLE.md, Pepr ADR-0015); the re-list makes the latest state reach us anyway.
 * A re-list may be answered after a newer watch event: it never moves the pod back in its life
 * (podState.isNotOlder), and only a list begun after the pod was seen can say it is gone.
 * The watch callback only records the event: client-node swallows what a callback throws.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../telemetry/logger.ts';
import { apiErrorMessage, callApi, type KubeClients } from './kubeApi.ts';
import { isNotOlder, observePod, type PodObservation } from './podState.ts';

/** Where the tracker looks and how often it re-lists. */
export interface PodTrackerOptions {
  readonly clients: KubeClients;
  readonly namespace: string;
  readonly labelSelector: string;
  /** Re-list when no watch event arrived for this long. */
  readonly resyncMs: number;
  readonly logger: Logger;
}

/** Pause before re-watching after a watch ended, growing on repeated failures. */
const REWATCH_DELAYS_MS = [50, 200, 500, 1000];

/** The latest known state of the execution's pod. */
export class PodTracker {
  private readonly options: PodTrackerOptions;
  private podName: string | undefined;
  private latest: V1Pod | undefined;
  private podGone = false;
  private resourceVersion = '';
  private stopped = false;
  /** Aborts pending list calls on stop(). */
  private readonly lifetime = new AbortController();
  private watchAbort: AbortController | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private rewatchTimer: NodeJS.Timeout | undefined;
  private watchFailures = 0;
  private lastListError: string | undefined;
  private waiters: (() => void)[] = [];

  constructor(options: PodTrackerOptions) {
    this.options = options;
  }

  /** Lists the pod once and starts watching (also when the list fails: the watch retries it). */
  async start(): Promise<void> {
    try {
      await this.relist();
    } finally {
      this.startWatch();
    }
  }

  /** The pod's state, or undefined while no pod has been seen. */
  get observation(): PodObservation | undefined {
    return this.latest === undefined ? undefined : observePod(this.latest);
  }

  /** A pod was seen and has since been deleted. */
  get gone(): boolean {
    return this.podGone;
  }

  /** Why the last list of the pod failed (undefined once one succeeds): the pod may exist unseen. */
  get listProblem(): string | undefined {
    return this.lastListError;
  }

  /** Resolves at the next change of state, after `timeoutMs`, or when `cancel` fires. */
  changed(timeoutMs: number, cancel?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cancel?.removeEventListener('abort', done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.waiters.push(done);
      if (cancel?.aborted) done();
      else cancel?.addEventListener('abort', done, { once: true });
    });
  }

  /** Reads the pod now (after the log ended, or when the watch may have missed something). */
  async relist(): Promise<void> {
    const { clients, namespace, labelSelector } = this.options;
    const knewPod = this.podName !== undefined;
    let list;
    try {
      list = await callApi(clients, this.lifetime.signal, (options) => clients.core.listNamespacedPod({ namespace, labelSelector }, options));
    } catch (error) {
      this.lastListError = apiErrorMessage(error);
      throw error;
    }
    this.lastListError = undefined;
    if (this.stopped) return;
    this.resourceVersion = list.metadata?.resourceVersion ?? this.resourceVersion;
    const pods = list.items;
    const pod = this.podName === undefined ? oldest(pods) : pods.find((p) => p.metadata?.name === this.podName);
    if (pod) this.accept(pod);
    else if (knewPod && !this.podGone) this.markGone();
  }

  /** Stops watching; pending changed() calls resolve at their timeout. */
  stop(): void {
    this.stopped = true;
    this.lifetime.abort(new Error('the pod tracker stopped'));
    clearTimeout(this.quietTimer);
    clearTimeout(this.rewatchTimer);
    this.watchAbort?.abort();
    this.notify();
  }

  private startWatch(): void {
    if (this.stopped) return;
    const { clients, namespace, labelSelector } = this.options;
    this.armQuietTimer();
    clients.watch
      .watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { labelSelector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
        (phase: string, object: unknown) => this.onEvent(phase, object),
        (error: unknown) => this.onWatchEnd(error),
      )
      .then((controller) => {
        if (this.stopped) controller.abort();
        else this.watchAbort = controller;
      })
      .catch((error: unknown) => this.onWatchEnd(error));
  }

  private onEvent(phase: string, object: unknown): void {
    this.armQuietTimer();
    this.watchFailures = 0;
    if (phase === 'ERROR') {
      // 410 Gone and friends: start over from a fresh list.
      this.resourceVersion = '';
      this.watchAbort?.abort();
      return;
    }
    const pod = object as V1Pod;
    this.resourceVersion = pod.metadata?.resourceVersion ?? this.resourceVersion;
    if (phase !== 'BOOKMARK') this.applyEvent(phase, pod);
  }

  private applyEvent(phase: string, pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (this.podName !== undefined && name !== this.podName) return;
    if (phase !== 'DELETED') {
      this.accept(pod);
      return;
    }
    this.podName = name;
    this.latest = pod;
    this.markGone();
  }

  private onWatchEnd(error: unknown): void {
    if (this.stopped) return;
    this.watchAbort = undefined;
    if (error) {
      this.watchFailures += 1;
      this.options.logger.debug({ err: error }, 'pod watch ended with an error; re-listing');
    }
    const delay = REWATCH_DELAYS_MS[Math.min(this.watchFailures, REWATCH_DELAYS_MS.length - 1)] ?? 1000;
    clearTimeout(this.rewatchTimer);
    this.rewatchTimer = setTimeout(() => void this.restartWatch(), delay);
  }

  private async restartWatch(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.relist();
    } catch (error) {
      this.watchFailures += 1;
      this.options.logger.warn({ err: error }, 'cannot list the sandbox pod; retrying');
    }
    this.startWatch();
  }

  /** When no event came for resyncMs, re-list: the watch may be alive but missing events. */
  private armQuietTimer(): void {
    clearTimeout(this.quietTimer);
    if (this.stopped) return;
    this.quietTimer = setTimeout(() => {
      this.relist()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'cannot re-list the sandbox pod'))
        .finally(() => this.armQuietTimer());
    }, this.options.resyncMs);
  }

  private accept(pod: V1Pod): void {
    if (this.podGone) return;
    if (this.latest !== undefined && !isNotOlder(observePod(this.latest), observePod(pod))) {
      this.options.logger.debug({ resourceVersion: pod.metadata?.resourceVersion }, 'ignored an older state of the pod (a late re-list)');
      return;
    }
    this.podName ??= pod.metadata?.name;
    this.latest = pod;
    this.notify();
  }

  private markGone(): void {
    this.podGone = true;
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

function oldest(pods: readonly V1Pod[]): V1Pod | undefined {
  return [...pods].sort((a, b) => time(a) - time(b))[0];
}

function time(pod: V1Pod): number {
  return pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0;
}
