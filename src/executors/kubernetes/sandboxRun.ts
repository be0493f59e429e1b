/**
 * The life of one execution on Kubernetes: create the Job -> wait for its pod to start -> follow
 * the log -> wait for the container to end -> conclude -> label the Job's outcome. Every exit path
 * accounts for the Job: kept until its TTL when it produced a result (or crashed, or its log lacks
 * output: for inspection), deleted otherwise (start-up failure, client gone, shutdown, interruption).
 * Every wait ends when `stop` fires (client gone, shutdown, the executor's hard limit) and every
 * API call is bounded by the per-call timeout (kubeApi.callApi).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Job } from '@kubernetes/client-node';
import type { Settings } from '../../config/settings.ts';
import { ExecutionFailure } from '../../execution/errors.ts';
import { RunnerOutputParser, maxRunnerStreamBytes } from '../../execution/runnerProtocol.ts';
import type { ExecutionRequest, ExecutionResult } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { ExecutionPhase, Metrics } from '../../telemetry/metrics.ts';
import type { JobKeeper } from './jobKeeper.ts';
import { buildSandboxJob, jobNameFor } from './jobSpec.ts';
import { apiErrorMessage, apiStatusCode, callApi, type KubeClients } from './kubeApi.ts';
import { executionSelector } from './labels.ts';
import { followLog, readWholeLog, type LogSource } from './logTail.ts';
import { concludeExecution, judgeJob, type Conclusion, type JobVerdict } from './outcome.ts';
import { describeWaiting, hasStarted, type PodObservation } from './podState.ts';
import { PodTracker } from './podTracker.ts';

/** What one execution works with. */
export interface SandboxRunContext {
  readonly clients: KubeClients;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly keeper: JobKeeper;
  /** Re-list the pod when the watch was quiet this long; also the pace of Job checks. */
  readonly resyncMs: number;
}

/** Pauses between follow requests answered 400 (container still being created); a pod change cuts them short. */
const NOT_READY_DELAYS_MS = [25, 50, 100, 200, 400, 800, 1000];

/** How often, and how far apart, the Job is read to learn why its pod vanished. */
const JOB_VERDICT_ATTEMPTS = 5;
const JOB_VERDICT_PAUSE_MS = 200;

/**
 * How long the log may go on after the container is seen terminated: the stream normally ends
 * at once; a server that keeps it open is given up on, and the whole log is read instead.
 */
const LOG_DRAIN_MS = 2000;

/** Thrown for a sandbox that ended in a way worth inspecting: `reported` goes to the caller, the Job stays. */
class KeepJob extends Error {
  readonly reported: Error;

  constructor(reported: Error) {
    super(reported.message);
    this.reported = reported;
  }
}

/** One execution. Use once: `await new SandboxRun(context, request, stop).run()`. */
export class SandboxRun {
  private readonly context: SandboxRunContext;
  private readonly request: ExecutionRequest;
  private readonly stop: AbortSignal;
  private readonly jobName: string;
  private readonly logger: Logger;
  private readonly tracker: PodTracker;
  private parser = new RunnerOutputParser();
  private readonly stopped: Promise<never>;
  private readonly times: Partial<Record<'sent' | 'created' | 'scheduled' | 'started' | 'ended', number>> = {};

  constructor(context: SandboxRunContext, request: ExecutionRequest, stop: AbortSignal) {
    this.context = context;
    this.request = request;
    this.stop = stop;
    this.jobName = jobNameFor(request.id);
    this.logger = context.logger.child({ executionId: request.id, job: this.jobName });
    this.tracker = new PodTracker({
      clients: context.clients,
      namespace: context.settings.k8sNamespace,
      labelSelector: executionSelector(request.id),
      resyncMs: context.resyncMs,
      logger: this.logger,
    });
    this.stopped = new Promise<never>((_resolve, reject) => {
      const fire = (): void => reject(stop.reason as Error);
      if (stop.aborted) fire();
      else stop.addEventListener('abort', fire, { once: true });
    });
    this.stopped.catch(() => undefined);
  }

  /** Runs the execution to its result; rejects with ExecutionFailure (or an Error for a crash). */
  async run(): Promise<ExecutionResult> {
    let created = false;
    let keepJob = false;
    try {
      await this.createJob();
      created = true;
      const result = await this.observe();
      keepJob = true;
      this.context.keeper.markOutcome(this.jobName, result.status, this.logger);
      return result;
    } catch (error) {
      keepJob = error instanceof KeepJob;
      throw error instanceof KeepJob ? error.reported : error;
    } finally {
      this.tracker.stop();
      if (created && !keepJob) await this.context.keeper.deleteJob(this.jobName, this.logger);
    }
  }

  private async createJob(): Promise<void> {
    if (this.stop.aborted) throw this.stop.reason as Error;
    const { clients, settings } = this.context;
    const job: V1Job = buildSandboxJob(this.request, settings, new Date());
    this.times.sent = Date.now();
    try {
      await callApi(clients, this.stop, (options) => clients.batch.createNamespacedJob({ namespace: settings.k8sNamespace, body: job }, options));
    } catch (error) {
      const code = apiStatusCode(error);
      // Without an answer the Job may exist, or come to exist: delete it now, and in the next sweep.
      if (code === undefined || code >= 500) await this.context.keeper.deleteAbandoned(this.jobName, this.logger);
      if (this.stop.aborted) throw this.stop.reason as Error;
      throw new ExecutionFailure('unavailable', `Cannot create the sandbox Job: ${apiErrorMessage(error)}`, { cause: error });
    }
    this.times.created = Date.now();
    this.observePhase('create', this.times.sent, this.times.created);
    this.logger.debug('sandbox Job created');
  }

  private async observe(): Promise<ExecutionResult> {
    await this.abortable(this.tracker.start().catch((error: unknown) => this.logger.warn({ err: error }, 'first pod list failed')));
    // Ask for the log as soon as the pod has a node, so the follow is there when the container starts.
    const scheduled = await this.waitForStart('scheduled');
    const source: LogSource = {
      clients: this.context.clients,
      namespace: this.context.settings.k8sNamespace,
      podName: scheduled.name,
      maxBytes: maxRunnerStreamBytes(this.context.settings.outputLimitBytes),
    };
    const follow = new AbortController();
    const stopFollowing = (): void => follow.abort();
    this.stop.addEventListener('abort', stopFollowing, { once: true });
    const following = this.followLog(source, follow.signal);
    following.catch(() => undefined); // awaited below; may reject (stop) while the start is awaited
    const settled = new AbortController();
    try {
      await this.waitForStart('started');
      const ending = await Promise.race([following.then(() => 'log' as const), this.untilPodEnds(settled.signal)]);
      settled.abort();
      if (ending !== 'log') follow.abort();
      await following;
    } catch (error) {
      follow.abort();
      await following.catch(() => undefined);
      throw error;
    } finally {
      settled.abort();
      this.stop.removeEventListener('abort', stopFollowing);
    }
    const conclusion = await this.conclude(source);
    return this.finish(conclusion);
  }

  /**
   * Waits until the pod is scheduled or its container has started (`until`); throws
   * 'unavailable'/'interrupted' when it never will.
   */
  private async waitForStart(until: 'scheduled' | 'started'): Promise<PodObservation> {
    const allowanceMs = this.context.settings.k8sStartupAllowanceSeconds * 1000;
    const giveUpAt = (this.times.sent ?? Date.now()) + allowanceMs;
    let nextJobCheck = Date.now() + this.context.resyncMs;
    for (;;) {
      const observation = this.tracker.observation;
      this.noteProgress(observation);
      if (observation && (hasStarted(observation) || (until === 'scheduled' && observation.scheduled))) return observation;
      await this.throwIfNeverStarts(observation, giveUpAt);
      if (observation === undefined && Date.now() >= nextJobCheck) {
        await this.checkJobWithoutPod();
        nextJobCheck = Date.now() + this.context.resyncMs;
      }
      await this.abortable(this.tracker.changed(Math.min(giveUpAt - Date.now(), this.context.resyncMs), this.stop));
    }
  }

  /** The pod vanished, cannot start (image, container config), or the allowance is over. */
  private async throwIfNeverStarts(observation: PodObservation | undefined, giveUpAt: number): Promise<void> {
    if (this.tracker.gone) throw await this.vanishedBeforeStart();
    if (observation?.blocker?.fatal) throw unavailable(observation.blocker.cause);
    if (Date.now() >= giveUpAt) throw await this.notStartedInTime(observation);
  }

  private noteProgress(observation: PodObservation | undefined): void {
    const now = Date.now();
    const started = observation !== undefined && hasStarted(observation);
    if ((observation?.scheduled || started) && this.times.scheduled === undefined) {
      this.times.scheduled = now;
      this.observePhase('schedule', this.times.created, now);
    }
    if (started && this.times.started === undefined) {
      this.times.started = now;
      this.observePhase('start', this.times.scheduled, now);
    }
  }

  /**
   * Follows the log until it ends. A 400 means the container is still being created: ask again
   * after a pause, or as soon as the pod changes. `signal` aborts when the pod cannot start.
   */
  private async followLog(source: LogSource, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const end = await followLog(source, (text) => this.parser.push(text), signal);
      if (this.stop.aborted) throw this.stop.reason as Error;
      if (end === 'overflow') this.logger.warn({ maxBytes: source.maxBytes }, 'the sandbox log outgrew its cap; the follow stopped');
      if (signal.aborted || end !== 'not-ready' || this.tracker.gone) break;
      await this.tracker.changed(NOT_READY_DELAYS_MS[Math.min(attempt, NOT_READY_DELAYS_MS.length - 1)] ?? 1000, signal);
    }
    this.parser.end();
  }

  /** Waits for the container's final state, completes the log if needed, and decides the outcome. */
  private async conclude(source: LogSource): Promise<Conclusion> {
    // The log ended: the container has most likely terminated. Read it now rather than wait for the watch.
    await this.abortable(this.tracker.relist()).catch((error: unknown) => {
      if (this.stop.aborted) throw error;
      this.logger.debug({ err: error }, 're-list after the log failed');
    });
    const final = await this.waitForEnd();
    this.times.ended = Date.now();
    this.observePhase('run', this.times.started, this.times.ended);
    if (!this.logHoldsAllOutput() && !this.tracker.gone) await this.readWholeLog(source);
    const logRecord = this.parser.result;
    const job = logRecord ? 'complete' : await this.settledJobVerdict();
    return concludeExecution({
      logRecord,
      output: this.parser.output,
      container: final?.container,
      podDeleted: this.tracker.gone || final?.deleting === true,
      job,
      runMs: this.times.ended - (this.times.started ?? this.times.ended),
      timeoutSeconds: this.request.timeoutSeconds,
      memoryBytes: this.context.settings.memoryLimitBytes,
    });
  }

  /** Whether the log read so far ends with the result record and holds all the output it counts. */
  private logHoldsAllOutput(): boolean {
    const record = this.parser.result;
    return record !== undefined && Buffer.byteLength(this.parser.output, 'utf8') === record.outputBytes;
  }

  /** Waits for the container's end, or for the pod's deletion to begin (it will not finish then). */
  private async waitForEnd(): Promise<PodObservation | undefined> {
    for (;;) {
      const observation = this.tracker.observation;
      if (this.tracker.gone || observation?.deleting || observation?.container.kind === 'terminated') return observation;
      await this.abortable(this.tracker.changed(this.context.resyncMs, this.stop));
    }
  }

  /**
   * Resolves when the follow should stop waiting for the log's end: at once when the pod is being
   * deleted or gone (its Job deleted, the deadline, kubectl delete pod: a slow kubelet may keep the
   * container running for seconds, its result would not count), or LOG_DRAIN_MS after the container
   * terminated (a server that keeps the stream open). 'cancelled' once `cancel` fires: the race was
   * decided by the log's own end.
   */
  private async untilPodEnds(cancel: AbortSignal): Promise<'deleting' | 'drained' | 'cancelled'> {
    let terminatedAt: number | undefined;
    while (!cancel.aborted) {
      const observation = this.tracker.observation;
      if (this.tracker.gone || observation?.deleting) return 'deleting';
      if (observation?.container.kind === 'terminated') terminatedAt ??= Date.now();
      const drainLeft = terminatedAt === undefined ? this.context.resyncMs : terminatedAt + LOG_DRAIN_MS - Date.now();
      if (drainLeft <= 0) return 'drained';
      await this.abortable(this.tracker.changed(Math.min(drainLeft, this.context.resyncMs), cancel));
    }
    return 'cancelled';
  }

  /** The follow ended without the whole output: the whole log, read once, replaces it if it holds more. */
  private async readWholeLog(source: LogSource): Promise<void> {
    try {
      const parser = new RunnerOutputParser();
      parser.push(await readWholeLog(source, this.stop));
      parser.end();
      if (parser.result !== undefined || parser.output.length >= this.parser.output.length) this.parser = parser;
      this.logger.info({ complete: parser.result !== undefined }, 'read the whole log after the follow broke off');
    } catch (error) {
      if (this.stop.aborted) throw this.stop.reason as Error;
      this.logger.warn({ err: error }, 'cannot read the final log');
    }
  }

  private finish(conclusion: Conclusion): ExecutionResult {
    if (conclusion.kind === 'failure') throw conclusion.failure;
    if (conclusion.kind === 'incomplete') {
      this.logger.error({ logBytesCap: maxRunnerStreamBytes(this.context.settings.outputLimitBytes) }, `${conclusion.failure.message}; the Job is kept for inspection`);
      throw new KeepJob(conclusion.failure);
    }
    if (conclusion.kind === 'crash') {
      this.logger.error({ ignoredLines: this.parser.ignoredLines }, conclusion.message);
      throw new KeepJob(new Error(conclusion.message));
    }
    const now = Date.now();
    this.observePhase('log', this.times.ended, now);
    const podWaitMs = (this.times.started ?? now) - (this.times.sent ?? now);
    return { ...conclusion.result, details: { ...conclusion.result.details, pod_wait_ms: podWaitMs } };
  }

  /** The pod vanished before its container started: deleted from outside, or its Job was. */
  private async vanishedBeforeStart(): Promise<ExecutionFailure> {
    const verdict = await this.settledJobVerdict();
    if (verdict === 'gone') return new ExecutionFailure('interrupted', "The execution's Job was deleted before its pod started");
    return new ExecutionFailure('interrupted', "The execution's pod was deleted before it started");
  }

  /** No pod yet: is the Job still there, and has it given up? */
  private async checkJobWithoutPod(): Promise<void> {
    const verdict = await this.jobVerdictNow();
    if (verdict === 'gone') throw new ExecutionFailure('interrupted', "The execution's Job was deleted before its pod started");
    if (verdict === 'failed' || verdict === 'deadline-exceeded') {
      throw unavailable((await this.podCreationProblem()) ?? 'the sandbox Job failed before its pod was created');
    }
  }

  private async notStartedInTime(observation: PodObservation | undefined): Promise<ExecutionFailure> {
    const cause = observation ? describeWaiting(observation) : await this.whyNoPod();
    const seconds = this.context.settings.k8sStartupAllowanceSeconds;
    return unavailable(`the sandbox pod did not start within ${seconds} ${seconds === 1 ? 'second' : 'seconds'}: ${cause}`);
  }

  /** No pod seen: the Job's FailedCreate events say why, or the pod lists failed (it may exist unseen). */
  private async whyNoPod(): Promise<string> {
    const problem = await this.podCreationProblem();
    if (problem !== undefined) return problem;
    const listProblem = this.tracker.listProblem;
    return listProblem === undefined ? 'no pod was created' : `its pod cannot be listed (${listProblem})`;
  }

  /** Why the Job controller could not create the pod (a quota, an admission webhook), from the Job's events. */
  private async podCreationProblem(): Promise<string | undefined> {
    const { clients, settings } = this.context;
    try {
      const events = await callApi(clients, this.stop, (options) =>
        clients.core.listNamespacedEvent({ namespace: settings.k8sNamespace, fieldSelector: `involvedObject.kind=Job,involvedObject.name=${this.jobName}` }, options),
      );
      const failed = events.items.filter((event) => event.reason === 'FailedCreate').at(-1);
      return failed ? `the Job cannot create its pod (${failed.message ?? 'FailedCreate'})` : undefined;
    } catch (error) {
      if (this.stop.aborted) throw this.stop.reason as Error;
      this.logger.warn({ err: error }, 'cannot list the Job events');
      return undefined;
    }
  }

  /**
   * The Job's verdict once it has one: the Job controller deletes the pods of a Job past its
   * deadline before it writes the DeadlineExceeded condition, so read it a few times.
   */
  private async settledJobVerdict(): Promise<JobVerdict> {
    let verdict: JobVerdict = 'active';
    for (let attempt = 0; attempt < JOB_VERDICT_ATTEMPTS; attempt += 1) {
      verdict = await this.jobVerdictNow();
      if (verdict !== 'active') return verdict;
      await this.abortable(sleep(JOB_VERDICT_PAUSE_MS));
    }
    return verdict;
  }

  /** The Job's verdict now; 'active' when it cannot be read (a passing API error is not an outcome). */
  private async jobVerdictNow(): Promise<JobVerdict> {
    try {
      return judgeJob(await this.readJob());
    } catch (error) {
      if (this.stop.aborted) throw this.stop.reason as Error;
      this.logger.warn({ err: error }, `cannot read the sandbox Job: ${apiErrorMessage(error)}`);
      return 'active';
    }
  }

  private async readJob(): Promise<V1Job | undefined> {
    const { clients, settings } = this.context;
    try {
      return await callApi(clients, this.stop, (options) => clients.batch.readNamespacedJob({ name: this.jobName, namespace: settings.k8sNamespace }, options));
    } catch (error) {
      if (apiStatusCode(error) === 404) return undefined;
      throw error;
    }
  }

  /** Races `promise` against the stop signal (client gone, shutdown, hard deadline). */
  private abortable<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.stopped]);
  }

  private observePhase(phase: ExecutionPhase, from: number | undefined, to: number): void {
    if (from !== undefined) this.context.metrics.observePhase(phase, Math.max(0, to - from) / 1000);
  }
}

function unavailable(cause: string): ExecutionFailure {
  return new ExecutionFailure('unavailable', cause.charAt(0).toUpperCase() + cause.slice(1));
}
