/**
 * Admission: at most `maxConcurrentExecutions` executions run at once and at most
 * `maxQueuedExecutions` wait for a slot; beyond that a request is refused (429). A request whose
 * client goes away leaves the queue, or, when it already runs, has its AbortSignal fired so the
 * executor stops the sandbox. The slot is held until the executor has settled, cleanup included.
 */
import PQueue from 'p-queue';
import type { Settings } from '../config/settings.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { ExecutionFailure } from './errors.ts';
import type { Executor } from './executor.ts';
import type { ExecutionRequest, ExecutionResult } from './types.ts';

/** What Admission is built from. */
export interface AdmissionDependencies {
  readonly executor: Executor;
  readonly settings: Pick<Settings, 'maxConcurrentExecutions' | 'maxQueuedExecutions'>;
  readonly metrics: Metrics;
}

/** The reason an execution is refused when the queue is full. */
const OVERLOADED = 'too many executions in progress; retry later';

/** Runs executions through the executor under a concurrency cap and a bounded queue. */
export class Admission {
  private readonly executor: Executor;
  private readonly metrics: Metrics;
  private readonly capacity: number;
  private readonly queue: PQueue;
  /** One controller per waiting execution: aborting it takes the execution out of the queue. */
  private readonly waiting = new Set<AbortController>();
  private closed: string | undefined;

  constructor(dependencies: AdmissionDependencies) {
    const { executor, settings, metrics } = dependencies;
    this.executor = executor;
    this.metrics = metrics;
    this.capacity = settings.maxConcurrentExecutions + settings.maxQueuedExecutions;
    this.queue = new PQueue({ concurrency: settings.maxConcurrentExecutions });
    const syncGauges = (): void => {
      metrics.inFlight.set(this.queue.pending);
      metrics.queued.set(this.queue.size);
    };
    for (const event of ['add', 'active', 'next'] as const) this.queue.addEventListener(event, syncGauges);
  }

  /** Why executions are no longer admitted (set by drain()), or undefined while open. */
  get closedReason(): string | undefined {
    return this.closed;
  }

  /** Executions running now. */
  get running(): number {
    return this.queue.pending;
  }

  /** Executions waiting for a slot. */
  get queued(): number {
    return this.queue.size;
  }

  /**
   * Runs `request` as soon as a slot is free. `signal` aborts when the client goes away.
   * @throws ExecutionFailure 'overloaded' when the queue is full, 'unavailable' after close(),
   *   'aborted' when `signal` fires while the execution waits, or whatever the executor throws.
   */
  async execute(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    if (this.closed !== undefined) throw new ExecutionFailure('unavailable', this.closed);
    if (signal.aborted) throw abortReason(signal);
    if (this.queue.pending + this.queue.size >= this.capacity) {
      this.metrics.rejected.inc({ reason: 'overloaded' });
      throw new ExecutionFailure('overloaded', OVERLOADED);
    }
    const waitingController = new AbortController();
    const leaveQueue = (): void => waitingController.abort(abortReason(signal));
    signal.addEventListener('abort', leaveQueue, { once: true });
    this.waiting.add(waitingController);
    try {
      return await this.queue.add(
        () => {
          // Running now: from here on the client's signal goes to the executor, not to the queue.
          signal.removeEventListener('abort', leaveQueue);
          this.waiting.delete(waitingController);
          return this.runNow(request, signal);
        },
        { signal: waitingController.signal },
      );
    } finally {
      signal.removeEventListener('abort', leaveQueue);
      this.waiting.delete(waitingController);
    }
  }

  /**
   * Stops admitting executions (they get 503 with `reason`), waits up to `graceMs` for the running
   * and queued ones to finish, then refuses those still waiting. Resolves with true when every
   * execution finished within the grace period. Running executions are left to executor.close().
   */
  async drain(reason: string, graceMs: number): Promise<boolean> {
    this.closed = reason;
    let timer: NodeJS.Timeout | undefined;
    const idle = this.queue.onIdle().then(() => true);
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    for (const controller of this.waiting) controller.abort(new ExecutionFailure('unavailable', reason));
    this.waiting.clear();
    return finished;
  }

  private async runNow(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    const startedAt = performance.now();
    let outcome = 'failure';
    try {
      const result = await this.executor.run(request, signal);
      outcome = result.status;
      return result;
    } catch (error) {
      if (error instanceof ExecutionFailure) outcome = error.kind;
      throw error;
    } finally {
      const labels = { executor: this.executor.kind, outcome };
      this.metrics.executions.inc(labels);
      this.metrics.duration.observe(labels, (performance.now() - startedAt) / 1000);
    }
  }
}

/** The failure a fired client signal stands for. */
function abortReason(signal: AbortSignal): ExecutionFailure {
  return signal.reason instanceof ExecutionFailure
    ? signal.reason
    : new ExecutionFailure('aborted', 'the client closed the connection');
}
