/**
 * The Kubernetes executor: one locked-down Job per execution (see sandboxRun.ts), a fail-closed
 * preflight (preflight.ts), and the Jobs' cleanup on client disconnect, on shutdown and at start-up.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ExecutionFailure } from '../../execution/errors.ts';
import type { Executor, ExecutorDependencies, Readiness } from '../../execution/executor.ts';
import type { ExecutionRequest, ExecutionResult } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { JobKeeper } from './jobKeeper.ts';
import { activeDeadlineSeconds } from './jobSpec.ts';
import { createKubeClients, loadKubeConfig, type KubeClients } from './kubeApi.ts';
import { runPreflight, type PreflightReport } from './preflight.ts';
import { SandboxRun } from './sandboxRun.ts';

/** Knobs for tests and the benchmark; production uses the defaults. */
export interface KubernetesExecutorOptions {
  /** Use this KubeConfig instead of loading one from the settings. */
  readonly kubeConfig?: KubeConfig;
  /** How long a preflight verdict is reused by /ready and run(). */
  readonly preflightMaxAgeMs?: number;
  /** Re-list a pod whose watch has been quiet this long (watches drop events). */
  readonly resyncMs?: number;
}

/** Beyond the Job's own deadline, how long the executor waits for the cluster to report the end. */
const HARD_DEADLINE_SLACK_SECONDS = 15;
const DEFAULT_PREFLIGHT_MAX_AGE_MS = 10_000;
const DEFAULT_RESYNC_MS = 2_000;

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
  private preflight: { report: PreflightReport; at: number } | undefined;
  private preflightInFlight: Promise<PreflightReport> | undefined;
  private readonly inFlight = new Map<string, { stop: AbortController; done: Promise<unknown> }>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(deps: ExecutorDependencies, options: KubernetesExecutorOptions = {}) {
    this.deps = deps;
    this.logger = deps.logger.child({ executor: 'kubernetes' });
    this.preflightMaxAgeMs = options.preflightMaxAgeMs ?? DEFAULT_PREFLIGHT_MAX_AGE_MS;
    this.resyncMs = options.resyncMs ?? DEFAULT_RESYNC_MS;
    try {
      this.clients = createKubeClients(options.kubeConfig ?? loadKubeConfig(deps.settings));
      this.keeper = new JobKeeper(this.clients, deps.settings);
    } catch (error) {
      this.configError = `cannot load the Kubernetes credentials: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Checks the cluster (never throws for what is missing: readiness says it) and sweeps old Jobs. */
  async start(): Promise<void> {
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
    await this.sweep();
    const everyMs = Math.max(60, settings.k8sTtlSecondsAfterFinished) * 1000;
    this.sweepTimer = setInterval(() => void this.sweep(), everyMs);
    this.sweepTimer.unref();
  }

  /** Ready when the namespace isolates the sandbox pods and the credentials allow every call. */
  async readiness(): Promise<Readiness> {
    if (this.configError !== undefined) return { ready: false, reason: this.configError };
    if (this.closing) return { ready: false, reason: 'shutting down' };
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

  /** Runs one execution as a Job; see SandboxRun for the outcomes. */
  async run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    if (this.closing) throw new ExecutionFailure('unavailable', 'The service is shutting down');
    if (this.clients === undefined || this.keeper === undefined) throw new ExecutionFailure('unavailable', this.configError ?? 'no Kubernetes client');
    const report = await this.currentPreflight();
    if (!report.ready) throw new ExecutionFailure('unavailable', `The Kubernetes executor cannot run code: ${report.reason}`);

    const stop = new AbortController();
    const onClientGone = (): void => stop.abort(new ExecutionFailure('aborted', 'The client went away'));
    if (signal.aborted) onClientGone();
    signal.addEventListener('abort', onClientGone, { once: true });
    const hardSeconds = activeDeadlineSeconds(request.timeoutSeconds, this.deps.settings) + HARD_DEADLINE_SLACK_SECONDS;
    const hardTimer = setTimeout(() => {
      stop.abort(new ExecutionFailure('unavailable', `The cluster did not report the end of the execution within ${hardSeconds} seconds`));
    }, hardSeconds * 1000);

    const context = {
      clients: this.clients,
      settings: this.deps.settings,
      logger: this.logger,
      metrics: this.deps.metrics,
      keeper: this.keeper,
      resyncMs: this.resyncMs,
    };
    const done = new SandboxRun(context, request, stop.signal).run();
    this.inFlight.set(request.id, { stop, done });
    try {
      return await done;
    } finally {
      clearTimeout(hardTimer);
      signal.removeEventListener('abort', onClientGone);
      this.inFlight.delete(request.id);
    }
  }

  /** Stops every in-flight execution, deleting its Job, and waits for all pending API calls. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweepTimer);
    const running = [...this.inFlight.values()];
    if (running.length > 0) this.logger.info({ executions: running.length }, 'shutting down: deleting in-flight sandbox Jobs');
    for (const { stop } of running) stop.abort(new ExecutionFailure('interrupted', 'The service is shutting down'));
    await Promise.allSettled(running.map(({ done }) => done));
    await this.keeper?.settle();
  }

  private async sweep(): Promise<void> {
    try {
      await this.keeper?.sweep(this.logger);
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot sweep old sandbox Jobs');
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
    this.preflightInFlight ??= runPreflight({ clients, settings: this.deps.settings, logger: this.logger })
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
