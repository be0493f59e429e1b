/**
 * The corpus of learner programs, ordinary and hostile, shared by every test layer: the runner
 * test (test/integration/runner.test.ts), the HTTP integration test and the Kubernetes e2e test.
 *
 * One program per file, `test/corpus/<category>/<name>.py`. Its expected outcome is in the
 * leading comment lines, `# key: value`:
 *
 *   expect-status            ok | error | timeout | memory | output_limit   (required)
 *   expect-error             the exact error line (for `ok` the error must be null anyway)
 *   expect-error-matches     a JavaScript regular expression the error line must match
 *   expect-output            the exact output, as a JSON string
 *   expect-output-startswith the output's beginning, as a JSON string
 *   expect-output-bytes      the output's exact length in UTF-8 bytes
 *   request-timeout          the request's timeout in seconds (else the caller's default)
 *   request-stdin            the request's stdin, as a JSON string
 *
 * A value that starts with `"` is read as JSON; any other value is taken as written. Other
 * leading comment lines describe the case. The program sent is what follows the leading comment
 * block (blank lines right after it are dropped), so its line numbers start there.
 *
 * The expectations assume the contract's limits: 128 MB of memory, 1 MB of output, and a 5 s
 * timeout unless `request-timeout` says otherwise. A layer that does not return output for some
 * outcome (the HTTP API answers a timeout with 408 and a detail) passes `{ ignoreOutput: true }`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionStatus } from '../../src/execution/types.ts';

/** Where the corpus lives. */
export const CORPUS_DIRECTORY: string = path.dirname(fileURLToPath(import.meta.url));

const STATUSES: readonly ExecutionStatus[] = ['ok', 'error', 'timeout', 'memory', 'output_limit'];

/** What a case expects; only the fields that are set are checked. */
export interface CorpusExpectation {
  readonly status: ExecutionStatus;
  readonly error?: string;
  readonly errorMatches?: RegExp;
  readonly output?: string;
  readonly outputStartsWith?: string;
  readonly outputBytes?: number;
}

/** One program of the corpus. */
export interface CorpusCase {
  /** `<category>/<name>`, e.g. `imports/os`. */
  readonly name: string;
  readonly category: string;
  /** Absolute path of the .py file. */
  readonly file: string;
  /** The program, without its header. */
  readonly code: string;
  /** What input() reads ('' when the case sets none). */
  readonly stdin: string;
  /** The timeout the case asks for; undefined: the caller's default. */
  readonly timeoutSeconds?: number;
  readonly expect: CorpusExpectation;
}

/** What an execution produced, as any layer can observe it. */
export interface ObservedOutcome {
  readonly status: string;
  readonly output: string;
  readonly error: string | null;
}

/** Options of checkOutcome. */
export interface CheckOptions {
  /** Skip the output expectations (a layer that does not return output for this status). */
  readonly ignoreOutput?: boolean;
}

type HeaderKey =
  | 'expect-status'
  | 'expect-error'
  | 'expect-error-matches'
  | 'expect-output'
  | 'expect-output-startswith'
  | 'expect-output-bytes'
  | 'request-timeout'
  | 'request-stdin';

const HEADER_KEYS: ReadonlySet<string> = new Set<HeaderKey>([
  'expect-status',
  'expect-error',
  'expect-error-matches',
  'expect-output',
  'expect-output-startswith',
  'expect-output-bytes',
  'request-timeout',
  'request-stdin',
]);

const HEADER_LINE = /^#\s*((?:expect|request)-[a-z-]+)\s*:\s?(.*)$/;

/**
 * Every case of the corpus, sorted by name.
 * @throws Error naming the file when a header is malformed (a typo must not silently weaken a test).
 */
export function loadCorpus(directory: string = CORPUS_DIRECTORY): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const category of readdirSync(directory, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const entry of readdirSync(path.join(directory, category.name))) {
      if (!entry.endsWith('.py')) continue;
      const file = path.join(directory, category.name, entry);
      cases.push(parseCase(file, category.name, readFileSync(file, 'utf8')));
    }
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

/** One corpus file. */
export function parseCase(file: string, category: string, text: string): CorpusCase {
  const lines = text.split('\n');
  const header = new Map<HeaderKey, string>();
  let index = 0;
  for (; index < lines.length && (lines[index] ?? '').startsWith('#'); index += 1) {
    const match = HEADER_LINE.exec(lines[index] ?? '');
    if (match === null) continue;
    const [, key = '', raw = ''] = match;
    if (!HEADER_KEYS.has(key)) throw new Error(`${file}: unknown header key '${key}'`);
    if (header.has(key as HeaderKey)) throw new Error(`${file}: '${key}' appears twice`);
    header.set(key as HeaderKey, raw.trim());
  }
  while (index < lines.length && (lines[index] ?? '').trim() === '') index += 1;
  const name = `${category}/${path.basename(file, '.py')}`;
  const field = (key: HeaderKey): string | undefined => {
    const raw = header.get(key);
    return raw === undefined ? undefined : headerValue(file, key, raw);
  };
  const timeout = field('request-timeout');
  return {
    name,
    category,
    file,
    code: lines.slice(index).join('\n'),
    stdin: field('request-stdin') ?? '',
    ...(timeout === undefined ? {} : { timeoutSeconds: positiveNumber(file, 'request-timeout', timeout) }),
    expect: expectation(file, field),
  };
}

function expectation(file: string, field: (key: HeaderKey) => string | undefined): CorpusExpectation {
  const status = field('expect-status');
  if (status === undefined) throw new Error(`${file}: 'expect-status' is required`);
  if (!STATUSES.includes(status as ExecutionStatus)) throw new Error(`${file}: unknown status '${status}'`);
  const error = field('expect-error');
  const errorMatches = field('expect-error-matches');
  const output = field('expect-output');
  const outputStartsWith = field('expect-output-startswith');
  const outputBytes = field('expect-output-bytes');
  return {
    status: status as ExecutionStatus,
    ...(error === undefined ? {} : { error }),
    ...(errorMatches === undefined ? {} : { errorMatches: new RegExp(errorMatches) }),
    ...(output === undefined ? {} : { output }),
    ...(outputStartsWith === undefined ? {} : { outputStartsWith }),
    ...(outputBytes === undefined ? {} : { outputBytes: byteCount(file, outputBytes) }),
  };
}

function headerValue(file: string, key: string, raw: string): string {
  if (!raw.startsWith('"')) return raw;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${file}: '${key}' is not a valid JSON string: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'string') throw new Error(`${file}: '${key}' must be a JSON string`);
  return value;
}

function positiveNumber(file: string, key: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${file}: '${key}' must be a positive number`);
  return value;
}

function byteCount(file: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${file}: 'expect-output-bytes' must be an integer >= 0`);
  return value;
}

/**
 * How an observed outcome differs from the case's expectation: one sentence per mismatch, an
 * empty list when it matches.
 */
export function checkOutcome(testCase: CorpusCase, observed: ObservedOutcome, options: CheckOptions = {}): string[] {
  const expected = testCase.expect;
  const problems: string[] = [];
  if (observed.status !== expected.status) {
    problems.push(`status: expected ${expected.status}, got ${observed.status} (error: ${JSON.stringify(observed.error)})`);
  }
  problems.push(...errorProblems(expected, observed.error));
  if (!options.ignoreOutput) problems.push(...outputProblems(expected, observed.output));
  return problems;
}

function errorProblems(expected: CorpusExpectation, error: string | null): string[] {
  const problems: string[] = [];
  if (expected.status === 'ok' && error !== null) problems.push(`error: expected null, got ${JSON.stringify(error)}`);
  if (expected.error !== undefined && error !== expected.error) {
    problems.push(`error: expected ${JSON.stringify(expected.error)}, got ${JSON.stringify(error)}`);
  }
  if (expected.errorMatches !== undefined && (error === null || !expected.errorMatches.test(error))) {
    problems.push(`error: expected a match of ${String(expected.errorMatches)}, got ${JSON.stringify(error)}`);
  }
  return problems;
}

function outputProblems(expected: CorpusExpectation, output: string): string[] {
  const problems: string[] = [];
  const shown = (text: string): string => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}...` : text);
  if (expected.output !== undefined && output !== expected.output) {
    problems.push(`output: expected ${shown(expected.output)}, got ${shown(output)}`);
  }
  if (expected.outputStartsWith !== undefined && !output.startsWith(expected.outputStartsWith)) {
    problems.push(`output: expected to start with ${shown(expected.outputStartsWith)}, got ${shown(output)}`);
  }
  const bytes = Buffer.byteLength(output, 'utf8');
  if (expected.outputBytes !== undefined && bytes !== expected.outputBytes) {
    problems.push(`output: expected ${expected.outputBytes} bytes, got ${bytes}`);
  }
  return problems;
}
