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

// ---- How much a well-behaved runner writes (docs/runner-protocol.md, runner_core.py) ----

/** Characters of program output one `output` record carries at most (runner_core.py RECORD_CHARS). */
export const RUNNER_RECORD_CHARS = 16 * 1024;

/**
 * Records the runner writes because output waited 20 ms (RECORD_DELAY_SECONDS) rather than because
 * a record was full, at most: 64 + output_bytes // 64 (runner_core.py DELAYED_RECORDS_*). This is
 * what keeps a program that flushes one character at a time from costing a record per character.
 */
function delayedRecordsAtMost(outputLimitBytes: number): number {
  return 64 + Math.floor(outputLimitBytes / 64);
}

/**
 * JSON bytes one byte of output can become: a control character is written `\u0001` (6 bytes for
 * 1); every other character takes at most 2 bytes per byte (`\n`, `"`) or its own UTF-8 bytes
 * (the runner writes JSON with ensure_ascii=False; U+FFFD for invalid input counts its 3 bytes
 * against the limit).
 */
const JSON_BYTES_PER_OUTPUT_BYTE = 6;

/** `{"type": "output", "data": ""}` and its newline. */
const OUTPUT_RECORD_FRAME_BYTES = 31;

/**
 * The result record: its `error` is at most 4000 characters (runner_core.py ERROR_MAX_CHARS,
 * enforced by the supervisor whatever the program's process reports), 6 JSON bytes each at
 * worst, plus the other fields.
 */
const RESULT_RECORD_MAX_BYTES = 4000 * JSON_BYTES_PER_OUTPUT_BYTE + 1024;

/**
 * The longest line a well-behaved runner writes: an output record of RUNNER_RECORD_CHARS
 * characters, each escaped to 6 bytes at worst, in its frame (~96 KiB; the result record is
 * shorter), plus a margin. A longer line means the runner has gone wrong; reading on would only make
 * the parser buffer and re-scan it.
 */
export const MAX_RUNNER_LINE_BYTES = RUNNER_RECORD_CHARS * JSON_BYTES_PER_OUTPUT_BYTE + OUTPUT_RECORD_FRAME_BYTES + 1024;

/** What the bound adds to the computed worst case: a miscount must not fail a good run. */
const STREAM_MARGIN_BYTES = 1024 * 1024;

/**
 * The most a well-behaved runner writes to its stdout (the local executor's pipe, the Kubernetes
 * pod log) for an output limit of `outputLimitBytes`: the one bound both executors apply. Beyond it
 * the runner has gone wrong or been subverted, and the stream is not to be trusted.
 *
 * The worst case, from the framing of docs/runner-protocol.md:
 * - data: at most outputLimitBytes bytes of output, each at most 6 JSON bytes (`\u0001`);
 * - frames, 31 bytes each, of: full records (16 Ki characters, so at most outputLimitBytes / 16384
 *   of them), records written for the 20 ms delay (at most 64 + outputLimitBytes / 64, whatever
 *   the run's length), and the one at the end;
 * - the result record (at most 25 KiB);
 * plus a margin of 1 MiB. For the contract's 1 MB: 6 MiB + 0.5 MiB + 25 KiB + 1 MiB, about 7.5 MiB,
 * where one record per pipe read cost up to 37 bytes per byte of output.
 */
export function maxRunnerStreamBytes(outputLimitBytes: number): number {
  const records = Math.ceil(outputLimitBytes / RUNNER_RECORD_CHARS) + delayedRecordsAtMost(outputLimitBytes) + 1;
  const worstCase = outputLimitBytes * JSON_BYTES_PER_OUTPUT_BYTE + records * OUTPUT_RECORD_FRAME_BYTES + RESULT_RECORD_MAX_BYTES;
  return worstCase + STREAM_MARGIN_BYTES;
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
