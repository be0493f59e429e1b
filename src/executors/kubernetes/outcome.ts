/**
 * How an execution ended, from what the runner said (its log and termination message) and what
 * Kubernetes said (the container's final state, the Job's conditions). Pure, so each path is unit
 * tested; the executor gathers the facts and calls concludeExecution() once.
 */
import type { V1Job } from '@kubernetes/client-node';
import { ExecutionFailure, memoryLimitErrorLine, timeoutErrorLine } from '../../execution/errors.ts';
import { parseResultRecord, type RunnerResultRecord } from '../../execution/runnerProtocol.ts';
import type { ExecutionResult } from '../../execution/types.ts';
import type { ContainerPhase } from './podState.ts';

/** What the Job's status says. */
export type JobVerdict = 'gone' | 'deadline-exceeded' | 'failed' | 'complete' | 'active';

/** Reads the Job (undefined: 404). A Job being deleted counts as gone. */
export function judgeJob(job: V1Job | undefined): JobVerdict {
  if (job === undefined || isSet(job.metadata?.deletionTimestamp)) return 'gone';
  const conditions = (job.status?.conditions ?? []).filter((c) => c.status === 'True');
  const failed = conditions.find((c) => c.type === 'Failed');
  if (failed) return failed.reason === 'DeadlineExceeded' ? 'deadline-exceeded' : 'failed';
  return conditions.some((c) => c.type === 'Complete') ? 'complete' : 'active';
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Everything known when the execution is over. */
export interface ExecutionFacts {
  /** The runner's result record from the pod's log, if the log held it. */
  readonly logRecord: RunnerResultRecord | undefined;
  /** The program's output as far as the log was read. */
  readonly output: string;
  /** The container's last known state (terminated, or running/waiting when the pod vanished). */
  readonly container: ContainerPhase | undefined;
  /** The pod was deleted or is being deleted. */
  readonly podDeleted: boolean;
  readonly job: JobVerdict;
  /** How long the container ran, as observed (for results the runner could not time). */
  readonly runMs: number;
  readonly timeoutSeconds: number;
  readonly memoryBytes: number;
}

/**
 * A result, or why there is none: an ExecutionFailure (for the client), the same for a log that
 * lacks output the runner wrote ('incomplete': the Job is kept, to read its log), or an internal
 * error (500, the Job kept).
 */
export type Conclusion =
  | { readonly kind: 'result'; readonly result: ExecutionResult }
  | { readonly kind: 'failure'; readonly failure: ExecutionFailure }
  | { readonly kind: 'incomplete'; readonly failure: ExecutionFailure }
  | { readonly kind: 'crash'; readonly message: string };

/**
 * Decides the outcome. The runner's own record wins (log first, then the termination message),
 * provided the log held all the output the record counts (`output_bytes`): a partial output is
 * never passed off as the program's. Without a record, the kernel's OOM kill means memory, the
 * Job's deadline means timeout, a deleted Job or pod means interrupted, and anything else is a
 * runner crash.
 */
export function concludeExecution(facts: ExecutionFacts): Conclusion {
  const terminated = facts.container?.kind === 'terminated' ? facts.container : undefined;
  const record = facts.logRecord ?? parseTerminationMessage(terminated?.message ?? '');
  if (record) {
    const read = Buffer.byteLength(facts.output, 'utf8');
    if (read !== record.outputBytes) return { kind: 'incomplete', failure: incompleteOutput(read, record.outputBytes) };
    return { kind: 'result', result: { status: record.status, output: facts.output, error: record.error, executionTimeMs: record.executionTimeMs } };
  }
  if (terminated?.reason === 'OOMKilled') return result('memory', facts, memoryLimitErrorLine(facts.memoryBytes), facts.runMs);
  return concludeWithoutRecord(facts, terminated);
}

/** 502: the program ran, but its output cannot be had whole from the cluster. */
export function incompleteOutput(read: number, written: number): ExecutionFailure {
  return new ExecutionFailure(
    'interrupted',
    `The program's output could not be read from the cluster: the sandbox log holds ${read} of its ${written} bytes`,
  );
}

/** No record from the runner and no OOM kill: the Job's deadline, an interruption, or a crash. */
function concludeWithoutRecord(facts: ExecutionFacts, terminated: TerminatedPhase | undefined): Conclusion {
  if (facts.job === 'deadline-exceeded') {
    return result('timeout', facts, timeoutErrorLine(facts.timeoutSeconds), Math.round(facts.timeoutSeconds * 1000));
  }
  if (facts.job === 'gone') {
    return { kind: 'failure', failure: new ExecutionFailure('interrupted', "The execution's Job was deleted before it finished") };
  }
  if (facts.podDeleted) {
    return { kind: 'failure', failure: new ExecutionFailure('interrupted', "The execution's pod was deleted before it finished") };
  }
  const how = terminated ? `exit code ${terminated.exitCode}${terminated.reason ? `, ${terminated.reason}` : ''}` : 'no final state';
  return { kind: 'crash', message: `the sandbox ended without a result record (${how})` };
}

type TerminatedPhase = Extract<ContainerPhase, { kind: 'terminated' }>;

function result(status: ExecutionResult['status'], facts: ExecutionFacts, error: string, executionTimeMs: number): Conclusion {
  return { kind: 'result', result: { status, output: facts.output, error, executionTimeMs } };
}

/** The termination message holds the runner's result record (JSON), or something else. */
export function parseTerminationMessage(message: string): ReturnType<typeof parseResultRecord> {
  if (message.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return undefined;
    return parseResultRecord(value as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
