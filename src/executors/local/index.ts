/**
 * The local executor, the embedded default: each execution runs the Python runner in a fresh
 * bubblewrap sandbox on this host (docs/adr/0010-local-sandbox-bubblewrap.md). Admission
 * (concurrency cap, queue) is the caller's; run() runs one.
 */
import type { Settings } from '../../config/settings.ts';
import { ExecutionFailure } from '../../execution/errors.ts';
import type { Executor, ExecutorDependencies, Readiness } from '../../execution/executor.ts';
import { MAX_RUNNER_LINE_BYTES, RunnerOutputParser, maxRunnerStreamBytes } from '../../execution/runnerProtocol.ts';
import type { ExecutionRequest, ExecutionResult } from '../../execution/types.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { detectIsolation, type Isolation } from './isolation.ts';
import { compileRunnerModule } from './runnerBytecode.ts';
import { describeExit, encodeRunnerRequest, executionOutcome } from './runnerExchange.ts';
import { RUNNER_MODULE } from './runnerLocation.ts';
import { buildSandboxCommand, runnerArguments, sandboxLimits, type SandboxPlan } from './sandboxCommand.ts';
import { SandboxProcess, type SandboxExit } from './sandboxProcess.ts';

/**
 * Creates the local executor. start() detects the isolation this host offers; until then, and
 * when strict isolation is unavailable, run() rejects with ExecutionFailure('unavailable').
 */
export function createLocalExecutor(dependencies: ExecutorDependencies): Executor {
  return new LocalExecutor(dependencies);
}

const NOT_STARTED: Isolation = { plan: undefined, readiness: { ready: false, reason: 'the local executor has not started' } };

class LocalExecutor implements Executor {
  readonly kind = 'local';
  private readonly settings: Settings;
  private readonly logger: Logger;
  private isolation: Isolation = NOT_STARTED;
  private readonly inFlight = new Set<SandboxProcess>();
  private closed = false;

  constructor(dependencies: ExecutorDependencies) {
    this.settings = dependencies.settings;
    this.logger = dependencies.logger.child({ executor: 'local' });
  }

  async start(): Promise<void> {
    this.isolation = await detectIsolation(this.settings);
    this.logIsolation();
    if (this.isolation.plan !== undefined) await this.compileRunner(this.isolation.plan);
  }

  readiness(): Promise<Readiness> {
    if (this.closed) return Promise.resolve({ ready: false, reason: 'the local executor is shut down' });
    return Promise.resolve(this.isolation.readiness);
  }

  async run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    const plan = this.admit(signal);
    const log = this.logger.child({ executionId: request.id });
    if (plan.isolation === 'none') log.warn({ isolation: 'none' }, 'development mode: running code without an OS sandbox');
    const parser = new RunnerOutputParser();
    const sandbox = this.spawn(plan, request, parser);
    const onAbort = (): void => sandbox.terminate('abort');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const exit = await sandbox.exited;
      parser.end();
      return this.settle(exit, parser, request, log);
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(sandbox);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const sandboxes = [...this.inFlight];
    for (const sandbox of sandboxes) sandbox.terminate('shutdown');
    await Promise.all(sandboxes.map((sandbox) => sandbox.exited));
  }

  private logIsolation(): void {
    const { plan, readiness } = this.isolation;
    const facts = { isolation: readiness.details ?? {}, argv0: plan?.bwrapPath ?? plan?.pythonPath };
    if (plan === undefined) this.logger.error(facts, `local executor cannot run code: ${readiness.reason}`);
    else if (plan.isolation === 'none') this.logger.warn(facts, `local executor: ${readiness.reason}; code runs WITHOUT an OS sandbox`);
    // The reason names what is missing: "seccomp none: python3-seccomp is not installed ...".
    else if (plan.seccompFilter === undefined) this.logger.warn(facts, `local executor: ${readiness.reason}`);
    else this.logger.info(facts, `local executor: ${readiness.reason}`);
  }

  /** Caches the runner's bytecode, which saves every execution compiling it (runnerBytecode.ts). */
  private async compileRunner(plan: SandboxPlan): Promise<void> {
    const outcome = await compileRunnerModule(plan.pythonPath, plan.runnerDirectory, RUNNER_MODULE);
    if (outcome.cached) this.logger.debug({ runnerDirectory: plan.runnerDirectory }, 'runner bytecode cached');
    else this.logger.warn({ runnerDirectory: plan.runnerDirectory, reason: outcome.reason }, 'runner bytecode not cached: every execution compiles the runner');
  }

  /** The plan to run by, or the reason not to run at all. */
  private admit(signal: AbortSignal): SandboxPlan {
    if (this.closed) throw new ExecutionFailure('unavailable', 'the local executor is shut down');
    const { plan, readiness } = this.isolation;
    if (plan === undefined) throw new ExecutionFailure('unavailable', readiness.reason);
    if (signal.aborted) throw new ExecutionFailure('aborted', 'the client went away before the execution started');
    return plan;
  }

  private spawn(plan: SandboxPlan, request: ExecutionRequest, parser: RunnerOutputParser): SandboxProcess {
    const { settings } = this;
    const command = buildSandboxCommand(plan, sandboxLimits(settings, request.timeoutSeconds), runnerArguments(plan));
    const sandbox = SandboxProcess.start(command, {
      input: encodeRunnerRequest(request, settings),
      deadlineMs: Math.ceil((request.timeoutSeconds + settings.sandboxGraceSeconds) * 1000),
      stdoutLimitBytes: maxRunnerStreamBytes(settings.outputLimitBytes),
      stdoutLineLimitBytes: MAX_RUNNER_LINE_BYTES,
      onStdout: (text) => parser.push(text),
    });
    this.inFlight.add(sandbox);
    return sandbox;
  }

  private settle(exit: SandboxExit, parser: RunnerOutputParser, request: ExecutionRequest, log: Logger): ExecutionResult {
    const facts = { exitCode: exit.exitCode, signal: exit.signal, cause: exit.cause, wallTimeMs: exit.wallTimeMs, stdoutBytes: exit.stdoutBytes };
    try {
      const result = executionOutcome(exit, parser, request);
      log.debug({ ...facts, status: result.status, stderr: exit.stderr || undefined }, 'sandbox finished');
      return result;
    } catch (error) {
      const level = exit.cause === undefined || exit.cause === 'stdout_overflow' ? 'error' : 'info';
      // The runner's stderr stays in the log: it may describe the host, never sent to the client.
      log[level]({ ...facts, stderr: exit.stderr, ignoredLines: parser.ignoredLines, reason: describeExit(exit) }, 'sandbox ended without a result');
      throw error;
    }
  }
}
