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
