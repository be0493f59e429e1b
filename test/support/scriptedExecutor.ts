/**
 * A test double of the Executor interface for unit tests of the HTTP layer and admission: each
 * program's first line names the behaviour (`# ok`, `# timeout`, `# hang`...). Integration tests
 * use the real executors instead.
 */
import { ExecutionFailure } from '../../src/execution/errors.ts';
import type { Executor, Readiness } from '../../src/execution/executor.ts';
import type { ExecutionRequest, ExecutionResult } from '../../src/execution/types.ts';

export class ScriptedExecutor implements Executor {
  readonly kind = 'scripted';
  readiness_: Readiness = { ready: true, reason: 'scripted executor', details: { isolation: 'none' } };
  /** Requests that reached run(), in order. */
  readonly started: ExecutionRequest[] = [];
  /** Ids whose signal fired while they ran. */
  readonly aborted: string[] = [];
  /** Executions that wait for release() (`# hold`), by id. */
  private readonly held = new Map<string, () => void>();
  running = 0;
  /** How long a `# hold` execution takes to clean up after its signal fires. */
  cleanupMs = 0;
  maxRunning = 0;
  closed = false;

  start(): Promise<void> {
    return Promise.resolve();
  }

  readiness(): Promise<Readiness> {
    return Promise.resolve(this.readiness_);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Lets one `# hold` execution finish with status ok. */
  release(id: string): void {
    this.held.get(id)?.();
  }

  get heldIds(): string[] {
    return [...this.held.keys()];
  }

  async run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    this.started.push(request);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.behave(request, signal);
    } finally {
      this.running -= 1;
    }
  }

  private behave(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    const behaviour = /^# (\w+)/.exec(request.code)?.[1] ?? 'ok';
    const result = (status: ExecutionResult['status'], error: string | null = null): ExecutionResult => ({
      status,
      output: `ran ${request.name}\n`,
      error,
      executionTimeMs: 7,
      details: { pod_wait_ms: 3 },
    });
    switch (behaviour) {
      case 'ok':
        return Promise.resolve(result('ok'));
      case 'error':
        return Promise.resolve(result('error', "NameError: name 'x' is not defined"));
      case 'timeout':
        return Promise.resolve(result('timeout', 'TimeoutError: ...'));
      case 'unavailable':
        return Promise.reject(new ExecutionFailure('unavailable', 'image pull failed: no such image'));
      case 'interrupted':
        return Promise.reject(new ExecutionFailure('interrupted', 'the Job was deleted from outside'));
      case 'crash':
        return Promise.reject(new Error('secret internal detail /var/lib/x'));
      default:
        return this.hold(request, signal, result('ok'));
    }
  }

  /** Waits for release() or for the signal; on abort, rejects like a real executor after cleanup. */
  private hold(request: ExecutionRequest, signal: AbortSignal, done: ExecutionResult): Promise<ExecutionResult> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.held.delete(request.id);
        this.aborted.push(request.id);
        setTimeout(() => reject(new ExecutionFailure('aborted', 'stopped')), this.cleanupMs);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.held.set(request.id, () => {
        signal.removeEventListener('abort', onAbort);
        this.held.delete(request.id);
        resolve(done);
      });
    });
  }
}

