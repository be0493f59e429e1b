/**
 * Failures that are not outcomes of the learner's program: the executor could not run it at all.
 * The HTTP layer maps each kind to a status in one place (src/http/errorMiddleware.ts).
 */

/** Why an execution could not produce a result. */
export type ExecutionFailureKind =
  /** The executor cannot run code right now (no isolation, no pod could start, quota...): 503. */
  | 'unavailable'
  /** The execution was stopped from outside (Job deleted, shutdown): 502-ish, a clear 5xx. */
  | 'interrupted'
  /** Too many executions in flight and queued: 429. */
  | 'overloaded'
  /** The client went away; nobody is waiting for an answer. */
  | 'aborted';

/** An execution failure whose message is safe to show to the client. */
/** Why a new or queued execution is refused while the service stops (503). */
export const SHUTDOWN_REFUSAL = 'The service is shutting down';
/** Why a running execution was stopped by the shutdown (502). */
export const SHUTDOWN_INTERRUPTION = 'The service is shutting down; the execution was stopped';

export class ExecutionFailure extends Error {
  readonly kind: ExecutionFailureKind;

  constructor(kind: ExecutionFailureKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutionFailure';
    this.kind = kind;
  }
}

/**
 * 5 -> "5", 2.5 -> "2.5": the contract writes whole seconds without a decimal point, and a
 * fraction as the client sent it (JSON numbers parse back to their shortest form).
 */
export function formatSeconds(seconds: number): string {
  return String(seconds);
}

/** The contract's timeout sentence: "Execution timed out after 5 seconds". */
export function timeoutDetail(timeoutSeconds: number): string {
  return `Execution timed out after ${formatSeconds(timeoutSeconds)} seconds`;
}

/**
 * The runner's own timeout line, word for word (runner_core.py timeout_error):
 * "TimeoutError: execution timed out after 5 seconds", "... after 1 second", "... after 2.5 seconds".
 * For an executor that has to say it itself because the runner could not (a deadline kill).
 */
export function timeoutErrorLine(timeoutSeconds: number): string {
  const text = formatSeconds(timeoutSeconds);
  return `TimeoutError: execution timed out after ${text} ${text === '1' ? 'second' : 'seconds'}`;
}

/**
 * The runner's own memory-limit line, word for word (runner_core.py memory_error):
 * "MemoryError: the program exceeded the memory limit of 128 MB". For an executor that has to say
 * it itself (the kernel's OOM kill of the whole sandbox).
 */
export function memoryLimitErrorLine(memoryBytes: number): string {
  return `MemoryError: the program exceeded the memory limit of ${describeBytes(memoryBytes)}`;
}

const BYTE_UNITS = [
  ['MB', 1024 * 1024],
  ['KB', 1024],
] as const;

/**
 * 134217728 -> "128 MB", 1536 -> "1.5 KB", 100 -> "100 bytes", as the runner's describe_bytes
 * writes them: binary units, one decimal, rounded half to even on the exact quotient (Python's
 * `f"{x:.1f}"`; 1.25 MB is "1.2 MB"), a trailing ".0" dropped.
 */
export function describeBytes(count: number): string {
  for (const [unit, size] of BYTE_UNITS) {
    if (count >= size) return `${tenthsText(roundedTenths(count, size))} ${unit}`;
  }
  return count === 1 ? '1 byte' : `${count} bytes`;
}

/** count / size in tenths, rounded half to even, in integer arithmetic (size is a power of two). */
function roundedTenths(count: number, size: number): number {
  const quotient = Math.floor((count * 10) / size);
  const twiceRemainder = 2 * (count * 10 - quotient * size);
  const up = twiceRemainder > size || (twiceRemainder === size && quotient % 2 === 1);
  return up ? quotient + 1 : quotient;
}

function tenthsText(tenths: number): string {
  const whole = Math.floor(tenths / 10);
  const tenth = tenths % 10;
  return tenth === 0 ? String(whole) : `${whole}.${tenth}`;
}
