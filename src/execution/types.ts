/**
 * The execution domain: what the HTTP layer asks for and what an executor answers.
 * Shared by every executor; knows nothing about HTTP or Kubernetes.
 */

/** One learner program to run. */
export interface ExecutionRequest {
  /** Unique, DNS-label safe (it names a Kubernetes Job): lowercase [a-z0-9-], <= 40 chars. */
  readonly id: string;
  /** The client's label for the request, echoed back. */
  readonly name: string;
  /** Python source, at most `codeLimitBytes` (settings) of UTF-8. */
  readonly code: string;
  /** What input() reads; empty when the client sent none. */
  readonly stdin: string;
  /** Wall-clock budget of the learner's code, in seconds (0 < t <= `maxTimeoutSeconds`, settings). */
  readonly timeoutSeconds: number;
}

/**
 * How one execution ended, as the runner (or the executor, when the runner could not say) saw it.
 * - ok: the program ran to the end (or called exit(0)).
 * - error: an uncaught exception or a syntax error (includes blocked imports).
 * - timeout: the wall-clock or CPU budget ran out; the program was killed.
 * - memory: the memory limit was hit (MemoryError or the kernel's OOM kill).
 * - output_limit: the program wrote more than the output limit and was stopped.
 */
export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'memory' | 'output_limit';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['ok', 'error', 'timeout', 'memory', 'output_limit'];

/** What an execution produced. */
export interface ExecutionResult {
  readonly status: ExecutionStatus;
  /** stdout and stderr interleaved as a console shows them, at most `outputLimitBytes` (settings). */
  readonly output: string;
  /** The last line of the traceback (`NameError: ...`), a limit message, or null. */
  readonly error: string | null;
  /** The learner code's own run time, measured by the runner. */
  readonly executionTimeMs: number;
  /** Executor-specific additive facts (for example the time spent waiting for a pod). */
  readonly details?: Readonly<Record<string, number | string>>;
}
