import { EXECUTION_STATUSES, type ExecutionResult, type ExecutionStatus } from './types.ts';

/** The runner's final record (docs/runner-protocol.md). */
export interface RunnerResultRecord {
  readonly status: ExecutionStatus;
  readonly error: string | null;
  readonly executionTimeMs: number;
  readonly outputBytes: number;
}

/**
 * Reads the runner's JSON Lines output incrementally: feed it chunks as they arrive (a pipe or a
 * followed pod log) and ask for the result at the end. Lines that are not protocol records are
 * counted, not fatal: a runner that crashed prints a Python traceback instead.
 */
export class RunnerOutputParser {
  private pending = '';
  private readonly outputParts: string[] = [];
  private resultRecord: RunnerResultRecord | undefined;
  private ignored = 0;

  /** Feeds the next piece of the stream; pieces may split lines anywhere. */
  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.readLine(line);
  }

  /** Marks the end of the stream (a final line without a newline still counts). */
  end(): void {
    if (this.pending !== '') this.readLine(this.pending);
    this.pending = '';
  }

  /** The output so far. */
  get output(): string {
    return this.outputParts.join('');
  }

  /** The final record, once it has been read. */
  get result(): RunnerResultRecord | undefined {
    return this.resultRecord;
  }

  /** How many lines were not protocol records. */
  get ignoredLines(): number {
    return this.ignored;
  }

  /** The execution result, or undefined when the stream held no result record. */
  toExecutionResult(): ExecutionResult | undefined {
    const record = this.resultRecord;
    if (record === undefined) return undefined;
    return {
      status: record.status,
      output: this.output,
      error: record.error,
      executionTimeMs: record.executionTimeMs,
    };
  }

  private readLine(line: string): void {
    const record = parseRecord(line);
    if (record === undefined) {
      if (line.trim() !== '') this.ignored += 1;
    } else if (record.type === 'output') {
      this.outputParts.push(record.data);
    } else {
      this.resultRecord = record.result;
    }
  }
}

type ParsedRecord = { type: 'output'; data: string } | { type: 'result'; result: RunnerResultRecord };

function parseRecord(line: string): ParsedRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.type === 'output' && typeof record.data === 'string') return { type: 'output', data: record.data };
  if (record.type === 'result') {
    const result = parseResultRecord(record);
    return result && { type: 'result', result };
  }
  return undefined;
}

/** Validates a result record (also used for Kubernetes termination messages). */
export function parseResultRecord(record: Record<string, unknown>): RunnerResultRecord | undefined {
  const { status, error, execution_time_ms: time, output_bytes: bytes } = record;
  if (!EXECUTION_STATUSES.includes(status as ExecutionStatus)) return undefined;
  if (error !== null && typeof error !== 'string') return undefined;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) return undefined;
  return {
    status: status as ExecutionStatus,
    error,
    executionTimeMs: Math.round(time),
    outputBytes: typeof bytes === 'number' ? bytes : 0,
  };
}
