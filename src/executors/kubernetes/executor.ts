/**
 * The Kubernetes executor: one locked-down Job per execution (see sandboxRun.ts), a fail-closed
 * preflight (preflight.ts), and the Jobs' cleanup on client disconnect, on shutdown and at start-up.
 * Every API call is bounded (kubeApi.callApi) and every run by a hard deadline, so neither a run
 * nor close() outlasts a silent API server by more than those bounds.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ExecutionFailure, SHUTDOWN_INTERRUPTION, SHUTDOWN_REFUSAL } from '../../execution/errors.ts';
import type { Executor, ExecutorDependencies, Readiness } from '../../execution/executor.ts';
import type { ExecutionRequest, ExecutionResult } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { JobKeeper } from './jobKeeper.ts';
import { activeDeadlineSeconds } from './jobSpec.ts';
import { createKubeClients, loadKubeConfig, type KubeClients } from './kubeApi.ts';
import { runPreflight, type PreflightReport } from './preflight.ts';
import { SandboxRun, type SandboxRunContext } from './sandboxRun.ts';

/** Knobs for tests and the benchmark; production uses the defaults. */
export interface KubernetesExecutorOptions {
  /** Use this KubeConfig instead of loading one from the settings. */
  readonly kubeConfig?: KubeConfig;
  /** How long a preflight verdict is reused by /ready and run(). */
  readonly preflightMaxAgeMs?: number;
  /** Re-list a pod whose watch has been quiet this long (watches drop events). */
  readonly resyncMs?: number;
  /** Longest wait for one API call; a Job deletion may take 1.5 times this (retries included). */
  readonly apiTimeoutMs?: number;
  /** Pause between sweeps of old Jobs (default: the Jobs' TTL, at least a minute). */
  readonly sweepIntervalMs?: number;
}

/** Beyond the Job's own deadline, how long the executor waits for the cluster to report the end. */
const HARD_DEADLINE_SLACK_SECONDS = 15;
const DEFAULT_PREFLIGHT_MAX_AGE_MS = 10_000;
const DEFAULT_RESYNC_MS = 2_000;
const DEFAULT_API_TIMEOUT_MS = 10_000;

const NOT_STARTED = 'the Kubernetes executor is starting';

/** One execution in flight: how to stop it, and its end (cleanup included). */
interface InFlight {
  readonly stop: AbortController;
  readonly done: Promise<unknown>;
}

/** Runs each execution as a Job in the configured namespace. */
export class KubernetesExecutor implements Executor {
  readonly kind = 'kubernetes';
  private readonly deps: ExecutorDependencies;
  private readonly logger: Logger;
  private readonly clients: KubeClients | undefined;
  private readonly configError: string | undefined;
  private readonly keeper: JobKeeper | undefined;
  private readonly preflightMaxAgeMs: number;
  private readonly resyncMs: number;
  private readonly sweepIntervalMs: number;
  private preflight: { report: PreflightReport; at: number } | undefined;
  private preflightInFlight: Promise<PreflightReport> | undefined;
  private readonly inFlight = new Map<string, InFlight>();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Aborted by close(): ends the start-up checks and sweeps. */
  private readonly lifetime = new AbortController();
  private started = false;
  private closing = false;

  constructor(deps: ExecutorDependencies, options: KubernetesExecutorOptions = {}) {
    this.deps = deps;
    this.logger = deps.logger.child({ executor: 'kubernetes' });
    this.preflightMaxAgeMs = options.preflightMaxAgeMs ?? DEFAULT_PREFLIGHT_MAX_AGE_MS;
    this.resyncMs = options.resyncMs ?? DEFAULT_RESYNC_MS;
    this.sweepIntervalMs = options.sweepIntervalMs ?? Math.max(60, deps.settings.k8sTtlSecondsAfterFinished) * 1000;
    try {
      this.clients = createKubeClients(options.kubeConfig ?? loadKubeConfig(deps.settings), options.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS);
      this.keeper = new JobKeeper(this.clients, deps.settings);
    } catch (error) {
      this.configError = `cannot load the Kubernetes credentials: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Checks the cluster (never throws for what is missing: readiness says it) and sweeps old Jobs.
   * Until it has finished, readiness() says "starting" and run() refuses.
   */
  async start(): Promise<void> {
    try {
      await this.startChecks();
    } finally {
      this.started = true;
    }
    if (!this.closing) this.scheduleSweep();
  }

  /** Ready when the namespace isolates the sandbox pods and the credentials allow every call. */
  async readiness(): Promise<Readiness> {
    if (this.configError !== undefined) return { ready: false, reason: this.configError };
    if (this.closing) return { ready: false, reason: 'shutting down' };
    if (!this.started) return { ready: false, reason: NOT_STARTED };
    const report = await this.currentPreflight();
    return {
      ready: report.ready,
      reason: report.reason,
      details: {
        namespace: this.deps.settings.k8sNamespace,
        runnerImage: this.deps.settings.k8sRunnerImage,
        networkPolicy: report.networkPolicy,
        permissions: report.permissions,
      },
    };
  }

  /**
   * Runs one execution as a Job; see SandboxRun for the outcomes. The run is registered before
   * anything is awaited, so close() stops it wherever it is; its hard deadline covers the
   * preflight too.
   */
  run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    const refusal = this.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    const stop = new AbortController();
    const done = this.runStoppable(request, signal, stop);
    this.inFlight.set(request.id, { stop, done: done.catch(() => undefined) });
    return done.finally(() => this.inFlight.delete(request.id));
  }

  /** Stops every in-flight execution, deleting its Job, and waits for all pending API calls (each bounded). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.lifetime.abort(new ExecutionFailure('unavailable', SHUTDOWN_REFUSAL));
    const running = [...this.inFlight.values()];
    if (running.length > 0) this.logger.info({ executions: running.length }, 'shutting down: deleting in-flight sandbox Jobs');
    for (const { stop } of running) stop.abort(new ExecutionFailure('interrupted', SHUTDOWN_INTERRUPTION));
    await Promise.allSettled(running.map(({ done }) => done));
    await this.keeper?.close();
  }

  private async startChecks(): Promise<void> {
    const { settings } = this.deps;
    if (this.configError !== undefined || this.keeper === undefined) {
      this.logger.error(this.configError ?? 'no Kubernetes client');
      return;
    }
    if (settings.k8sSkipNetworkPolicyCheck) {
      this.logger.warn(
        'K8S_SKIP_NETWORK_POLICY_CHECK is set: sandbox pods may run WITHOUT a deny-all NetworkPolicy. Development clusters only.',
      );
    }
    const report = await this.refreshPreflight();
    if (report.ready) this.logger.info({ namespace: settings.k8sNamespace, ...report }, 'Kubernetes executor ready');
    else this.logger.warn({ namespace: settings.k8sNamespace, reason: report.reason }, 'Kubernetes executor NOT ready: no code will run');
    if (!this.closing) await this.sweep();
  }

  /** Why run() refuses at once, if it does. */
  private refusal(): ExecutionFailure | undefined {
    if (this.closing) return new ExecutionFailure('unavailable', SHUTDOWN_REFUSAL);
    if (this.clients === undefined || this.keeper === undefined) return new ExecutionFailure('unavailable', this.configError ?? 'no Kubernetes client');
    if (!this.started) return new ExecutionFailure('unavailable', 'The Kubernetes executor is starting');
    return undefined;
  }

  private async runStoppable(request: ExecutionRequest, signal: AbortSignal, stop: AbortController): Promise<ExecutionResult> {
    const onClientGone = (): void => stop.abort(new ExecutionFailure('aborted', 'The client went away'));
    const hardSeconds = activeDeadlineSeconds(request.timeoutSeconds, this.deps.settings) + HARD_DEADLINE_SLACK_SECONDS;
    const hardTimer = setTimeout(() => {
      stop.abort(new ExecutionFailure('unavailable', `The cluster did not report the end of the execution within ${hardSeconds} seconds`));
    }, hardSeconds * 1000);
    signal.addEventListener('abort', onClientGone, { once: true });
    try {
      if (signal.aborted) onClientGone();
      const report = await untilStopped(this.currentPreflight(), stop.signal);
      if (!report.ready) throw new ExecutionFailure('unavailable', `The Kubernetes executor cannot run code: ${report.reason}`);
      return await new SandboxRun(this.runContext(), request, stop.signal).run();
    } finally {
      clearTimeout(hardTimer);
      signal.removeEventListener('abort', onClientGone);
    }
  }

  private runContext(): SandboxRunContext {
    const { clients, keeper } = this;
    if (clients === undefined || keeper === undefined) throw new ExecutionFailure('unavailable', this.configError ?? 'no Kubernetes client');
    return { clients, keeper, settings: this.deps.settings, logger: this.logger, metrics: this.deps.metrics, resyncMs: this.resyncMs };
  }

  /** Sweeps again `sweepIntervalMs` after the previous sweep ended: sweeps never overlap. */
  private scheduleSweep(): void {
    this.sweepTimer = setTimeout(() => {
      void this.sweep().finally(() => {
        if (!this.closing) this.scheduleSweep();
      });
    }, this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      await this.keeper?.sweep(this.logger);
    } catch (error) {
      if (!this.closing) this.logger.warn({ err: error }, 'cannot sweep old sandbox Jobs');
    }
  }

  private async currentPreflight(): Promise<PreflightReport> {
    const cached = this.preflight;
    if (cached !== undefined && Date.now() - cached.at < this.preflightMaxAgeMs) return cached.report;
    return this.refreshPreflight();
  }

  /** One preflight at a time; concurrent callers share it. */
  private refreshPreflight(): Promise<PreflightReport> {
    const clients = this.clients;
    if (clients === undefined) return Promise.resolve({ ready: false, reason: this.configError ?? '', networkPolicy: '', permissions: '' });
    this.preflightInFlight ??= runPreflight({ clients, settings: this.deps.settings, logger: this.logger, stop: this.lifetime.signal })
      .then((report) => {
        this.preflight = { report, at: Date.now() };
        return report;
      })
      .finally(() => {
        this.preflightInFlight = undefined;
      });
    return this.preflightInFlight;
  }
}

/** The promise's value, or the signal's reason once it fires (the promise goes on, unobserved). */
async function untilStopped<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onStop = (): void => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    onStop = (): void => reject(signal.reason as Error);
    if (signal.aborted) onStop();
    else signal.addEventListener('abort', onStop, { once: true });
  });
  try {
    return await Promise.race([promise, stopped]);
  } finally {
    signal.removeEventListener('abort', onStop);
  }
}
