/**
 * The Python runner on its own (no sandbox around it: that is the local executor's job): a real
 * /usr/bin/python3 running src/runner/runner.py as the executors do, every program of the corpus,
 * and the protocol of docs/runner-protocol.md.
 */
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { describeBytes, memoryLimitErrorLine, timeoutErrorLine } from '../../src/execution/errors.ts';
import { RUNNER_RECORD_CHARS, RunnerOutputParser, maxRunnerStreamBytes, type RunnerResultRecord } from '../../src/execution/runnerProtocol.ts';
import { checkOutcome, loadCorpus, type CorpusCase } from '../corpus/corpus.ts';

const PYTHON = '/usr/bin/python3';
const RUNNER = fileURLToPath(new URL('../../src/runner/runner.py', import.meta.url));
const RUNNER_DIRECTORY = path.dirname(RUNNER);
const MEMORY_BYTES = 128 * 1024 * 1024;
const OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 5;
/** Corpus cases run two at a time: the machines have two cores. */
const CORPUS_CONCURRENCY = 2;

interface RunnerRequest {
  code: string;
  stdin?: string;
  timeout_seconds?: number;
  memory_bytes?: number;
  output_bytes?: number;
}

interface RunOptions {
  /** Written to stdin as JSON (an object) or as is (a string); nothing when absent. */
  readonly input?: RunnerRequest | string;
  readonly args?: readonly string[];
  /** Another copy of runner.py (default: the repository's). */
  readonly runner?: string;
  /** Interpreter flags besides -I -S -B. */
  readonly pythonFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user (the test runs as root). */
  readonly identity?: { readonly uid: number; readonly gid: number };
  /** Called once the runner is running. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

interface RunnerRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as it arrived, chunk by chunk. */
  readonly chunks: readonly string[];
  readonly parser: RunnerOutputParser;
  readonly wallMs: number;
}

function fullRequest(request: RunnerRequest): Required<RunnerRequest> {
  return {
    stdin: '',
    timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
    memory_bytes: MEMORY_BYTES,
    output_bytes: OUTPUT_BYTES,
    ...request,
  };
}

/** Spawns `python3 -I -S -B runner.py [args]` and collects everything it says. */
function runRunner(options: RunOptions): Promise<RunnerRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const flags = ['-I', '-S', '-B', ...(options.pythonFlags ?? [])];
    const child = spawn(PYTHON, [...flags, options.runner ?? RUNNER, ...(options.args ?? [])], {
      env: { LANG: 'C.UTF-8', TZ: 'UTC', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.identity ?? {}),
    });
    const parser = new RunnerOutputParser();
    const chunks: string[] = [];
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      chunks.push(chunk);
      parser.push(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      parser.end();
      resolve({ exitCode, signal, stdout: chunks.join(''), stderr, chunks, parser, wallMs: performance.now() - started });
    });
    const input = options.input;
    if (input !== undefined) child.stdin.end(typeof input === 'string' ? input : JSON.stringify(fullRequest(input)));
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

function resultOf(run: RunnerRun): RunnerResultRecord {
  const result = run.parser.result;
  expect(result, `no result record; stderr: ${run.stderr}`).to.not.equal(undefined);
  return result as RunnerResultRecord;
}

/** The `data` of every output record, in order. */
function outputRecords(run: RunnerRun): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; data?: string })
    .filter((record) => record.type === 'output')
    .map((record) => record.data ?? '');
}

/** The most output records the framing allows for this much output (docs/runner-protocol.md). */
function recordsAtMost(outputBytes: number, outputLimitBytes: number): number {
  const delayed = 64 + Math.floor(outputLimitBytes / 64);
  return Math.floor(outputBytes / RUNNER_RECORD_CHARS) + delayed + 1;
}

function requestFor(testCase: CorpusCase): RunnerRequest {
  return { code: testCase.code, stdin: testCase.stdin, timeout_seconds: testCase.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

async function waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The runner's child (the program's process), from /proc. */
function childPidOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children === '' ? undefined : Number(children.split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

function readLimits(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return '';
  }
}

/** "Max address space  134217728  134217728  bytes" -> ['134217728', '134217728']. */
function limitOf(limits: string, name: string): string[] {
  const line = limits.split('\n').find((candidate) => candidate.startsWith(name));
  expect(line, `no "${name}" in /proc/<pid>/limits`).to.not.equal(undefined);
  return (line ?? '').slice(name.length).trim().split(/\s+/).slice(0, 2);
}

function isGone(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe('Python runner (integration)', function () {
  this.timeout(60_000);

  describe('the corpus', () => {
    const cases = loadCorpus();
    const runs = new Map<string, Promise<RunnerRun | Error>>();

    before(() => {
      const queue = new PQueue({ concurrency: CORPUS_CONCURRENCY });
      for (const testCase of cases) {
        // Settled into a value: a rejection is reported by the case's own test, never unhandled.
        const identity = unprivileged ? { identity: unprivileged } : {};
        const run = queue.add(() => runRunner({ input: requestFor(testCase), ...identity })).then(
          (value) => value,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        runs.set(testCase.name, run);
      }
    });

    it('has cases in every category', () => {
      const categories = new Set(cases.map((testCase) => testCase.category));
      expect([...categories].sort()).to.deep.equal(['bypass', 'errors', 'imports', 'io', 'limits', 'ordinary']);
      expect(cases.length).to.be.greaterThan(100);
    });

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const run = await runs.get(testCase.name);
        if (run instanceof Error || run === undefined) throw run ?? new Error('not run');
        expect(run.exitCode, `runner exit code; stderr: ${run.stderr}`).to.equal(0);
        expect(run.stderr, 'the runner wrote to stderr').to.equal('');
        expect(run.parser.ignoredLines, 'lines that are not records').to.equal(0);
        const result = resultOf(run);
        const output = run.parser.output;
        expect(checkOutcome(testCase, { status: result.status, output, error: result.error })).to.deep.equal([]);
        expect(result.outputBytes).to.equal(Buffer.byteLength(output, 'utf8'));
      });
    }
  });

  describe('the protocol', () => {
    it('writes output records, then exactly one result record, last, and nothing else', async () => {
      const run = await runRunner({ input: { code: 'import sys\nprint("out")\nprint("err", file=sys.stderr)' } });
      const lines = run.stdout.split('\n');
      expect(lines.pop()).to.equal('');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.slice(0, -1).every((record) => record.type === 'output')).to.equal(true);
      expect(records.map((record) => (record.type === 'output' ? record.data : '')).join('')).to.equal('out\nerr\n');
      const result = records.at(-1);
      expect(Object.keys(result ?? {}).sort()).to.deep.equal(['error', 'execution_time_ms', 'output_bytes', 'status', 'type']);
      expect(result).to.include({ type: 'result', status: 'ok', error: null, output_bytes: 8 });
      expect(run.exitCode).to.equal(0);
    });

    it('streams output while the program still runs', async () => {
      const run = await runRunner({ input: { code: 'import time\nprint("first")\ntime.sleep(0.5)\nprint("second")' } });
      const first = run.chunks.findIndex((chunk) => chunk.includes('first'));
      const result = run.chunks.findIndex((chunk) => chunk.includes('"type": "result"'));
      expect(first).to.be.at.least(0);
      expect(first, 'the first output arrived with the result').to.be.lessThan(result);
      expect(run.parser.output).to.equal('first\nsecond\n');
    });

    it('keeps exactly output_bytes of output and stops the program', async () => {
      const run = await runRunner({ input: { code: 'print("a" * 5000)\nprint("never")', output_bytes: 1000 } });
      const result = resultOf(run);
      expect(result.status).to.equal('output_limit');
      expect(result.error).to.equal('OutputLimitExceeded: output exceeded the limit of 1000 bytes');
      expect(run.parser.output).to.equal('a'.repeat(1000));
      expect(result.outputBytes).to.equal(1000);
    });

    it('cuts the output back to a UTF-8 character boundary', async () => {
      const run = await runRunner({ input: { code: 'print("é" * 1000)', output_bytes: 1001 } });
      expect(resultOf(run).status).to.equal('output_limit');
      expect(run.parser.output).to.equal('é'.repeat(500));
      expect(resultOf(run).outputBytes).to.equal(1000);
    });

    it('accepts output of exactly output_bytes', async () => {
      const run = await runRunner({ input: { code: 'import sys\nsys.stdout.write("b" * 1000)', output_bytes: 1000 } });
      expect(resultOf(run)).to.include({ status: 'ok', error: null, outputBytes: 1000 });
    });

    it('describes the configured limits in its messages, as the service words them', async () => {
      const memory = await runRunner({ input: { code: 'x = bytearray(10 ** 9)', memory_bytes: 96 * 1024 * 1024 } });
      expect(resultOf(memory)).to.include({ status: 'memory', error: 'MemoryError: the program exceeded the memory limit of 96 MB' });
      expect(resultOf(memory).error).to.equal(memoryLimitErrorLine(96 * 1024 * 1024));
      const timeout = await runRunner({ input: { code: 'while True: pass', timeout_seconds: 0.5 } });
      expect(resultOf(timeout)).to.include({ status: 'timeout', error: 'TimeoutError: execution timed out after 0.5 seconds' });
      expect(resultOf(timeout).error).to.equal(timeoutErrorLine(0.5));
      const second = await runRunner({ input: { code: 'while True: pass', timeout_seconds: 1 } });
      expect(resultOf(second).error).to.equal(timeoutErrorLine(1)).and.equal('TimeoutError: execution timed out after 1 second');
    });

    it('words every limit as src/execution/errors.ts does (its formatting functions, over a table)', () => {
      const seconds = [5, 1, 2.5, 0.5, 0.1, 0.0001, 0.0625, 1 / 3, 1e-7, 30, 123.456];
      const bytes = [1, 100, 1023, 1024, 1536, 2304, 1048575, 1048576, 1310720, 1835008, 96.5 * 1048576, 128 * 1048576, 1048576 + 52429];
      const program = [
        'import json, sys',
        `sys.path.append(${JSON.stringify(RUNNER_DIRECTORY)})`,
        'import runner_core as runner',
        'seconds, sizes = json.loads(sys.argv[1])',
        'class Request: pass',
        'def timeout(s):',
        '    request = Request(); request.timeout_seconds = s; return runner.timeout_error(request)',
        'def memory(b):',
        '    request = Request(); request.memory_bytes = b; return runner.memory_error(request)',
        'print(json.dumps([[timeout(s) for s in seconds], [memory(b) for b in sizes], [runner.describe_bytes(b) for b in sizes]]))',
      ].join('\n');
      const said = JSON.parse(execFileSync(PYTHON, ['-I', '-S', '-B', '-c', program, JSON.stringify([seconds, bytes])], { encoding: 'utf8' })) as string[][];
      expect(said).to.deep.equal([seconds.map(timeoutErrorLine), bytes.map(memoryLimitErrorLine), bytes.map(describeBytes)]);
    });

    it('coalesces output: a program that flushes every character costs a record per 20 ms, not one per character', async () => {
      const count = 200_000;
      const run = await runRunner({ input: { code: `for i in range(${count}):\n    print(".", end="", flush=True)` } });
      expect(resultOf(run)).to.include({ status: 'ok', outputBytes: count });
      expect(run.parser.output).to.equal('.'.repeat(count));
      const records = outputRecords(run);
      expect(records.length).to.be.at.most(recordsAtMost(count, OUTPUT_BYTES));
      expect(Math.max(...records.map((data) => data.length))).to.be.at.most(RUNNER_RECORD_CHARS);
      // 31 bytes of frame per record: one record per character would have been 32 bytes per byte.
      expect(Buffer.byteLength(run.stdout)).to.be.at.most(count + 31 * records.length + 200);
    });

    it("keeps a control-character flood, flushed byte by byte, within the service's bound on the stream", async () => {
      const limit = 100_000;
      const code = 'import sys\nwhile True:\n    sys.stdout.write("\\x01")\n    sys.stdout.flush()';
      const run = await runRunner({ input: { code, output_bytes: limit } });
      expect(resultOf(run)).to.include({ status: 'output_limit', outputBytes: limit });
      expect(run.parser.output).to.equal('\x01'.repeat(limit));
      const records = outputRecords(run);
      expect(records.length).to.be.at.most(recordsAtMost(limit, limit));
      expect(Math.max(...records.map((data) => data.length))).to.be.at.most(RUNNER_RECORD_CHARS);
      const streamBytes = Buffer.byteLength(run.stdout);
      expect(streamBytes).to.be.at.least(6 * limit).and.at.most(maxRunnerStreamBytes(limit));
    });

    it('keeps the order of stdout and stderr across full records, delays and the end', async () => {
      const code = [
        'import sys, time',
        'print("a" * 40000, end="")',
        'print("b", file=sys.stderr, flush=True)',
        'time.sleep(0.1)',
        'sys.stdout.write("c" * 20000)',
        'print("d", file=sys.stderr)',
      ].join('\n');
      const run = await runRunner({ input: { code } });
      expect(run.parser.output).to.equal(`${'a'.repeat(40000)}b\n${'c'.repeat(20000)}d\n`);
      const records = outputRecords(run);
      expect(records.slice(0, 2)).to.deep.equal(['a'.repeat(16384), 'a'.repeat(16384)]);
      expect(Math.max(...records.map((data) => data.length))).to.be.at.most(RUNNER_RECORD_CHARS);
    });

    it('loads runner_core from its bytecode when it was compiled ahead of time', async () => {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'runner-bytecode-'));
      try {
        for (const file of ['runner.py', 'runner_core.py', 'policy.json']) copyFileSync(path.join(RUNNER_DIRECTORY, file), path.join(directory, file));
        const runner = path.join(directory, 'runner.py');
        const compiled = await runRunner({ input: { code: 'print("hi")' }, runner, pythonFlags: ['-v'] });
        expect(compiled.stderr).to.include(`code object from ${directory}/runner_core.py\n`).and.not.include('__pycache__/runner_core');
        execFileSync(PYTHON, ['-I', '-m', 'py_compile', path.join(directory, 'runner_core.py')]);
        const cached = await runRunner({ input: { code: 'print("hi")' }, runner, pythonFlags: ['-v'] });
        expect(cached.stderr).to.include(`code object from '${directory}/__pycache__/runner_core.`);
        // -v speaks on the program's stderr too (the child's own clean-up): the program's line comes last.
        expect(cached.parser.output).to.match(/(^|\n)hi\n$/);
        expect(resultOf(cached)).to.include({ status: 'ok', error: null });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("measures the code's own run time, not the interpreter's start-up", async () => {
      const quick = await runRunner({ input: { code: 'pass' } });
      expect(resultOf(quick).executionTimeMs).to.be.below(quick.wallMs / 2);
      const sleeper = await runRunner({ input: { code: 'import time\ntime.sleep(0.3)' } });
      expect(resultOf(sleeper).executionTimeMs).to.be.at.least(300).and.below(sleeper.wallMs);
      const stopped = await runRunner({ input: { code: 'while True: pass', timeout_seconds: 1 } });
      expect(resultOf(stopped).executionTimeMs).to.be.at.least(1000).and.below(stopped.wallMs);
      const broken = await runRunner({ input: { code: 'for i in range(3)\n  pass' } });
      expect(resultOf(broken)).to.include({ status: 'error', executionTimeMs: 0 });
    });

    describe('--termination-log', () => {
      let directory: string;

      beforeEach(() => {
        directory = mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
      });

      afterEach(() => {
        rmSync(directory, { recursive: true, force: true });
      });

      it('writes the result record there after the program, replacing what was in the file', async () => {
        const file = path.join(directory, 'termination-log');
        writeFileSync(file, 'stale '.repeat(2000));
        const run = await runRunner({ input: { code: 'print("hi")\n1/0' }, args: ['--termination-log', file] });
        const lastLine = run.stdout.trimEnd().split('\n').at(-1) ?? '';
        const written = readFileSync(file, 'utf8');
        expect(JSON.parse(written)).to.deep.equal(JSON.parse(lastLine));
        expect(JSON.parse(written)).to.include({ type: 'result', status: 'error', error: 'ZeroDivisionError: division by zero' });
      });

      it('shortens a long error so that the record fits in 4096 bytes', async () => {
        const file = path.join(directory, 'termination-log');
        const run = await runRunner({ input: { code: 'raise ValueError("x" * 10000)' }, args: ['--termination-log', file] });
        const written = readFileSync(file);
        expect(written.length).to.be.at.most(4096);
        const record = JSON.parse(written.toString('utf8')) as { error: string; status: string };
        expect(record.status).to.equal('error');
        expect(record.error).to.match(/^ValueError: x+…$/);
        expect(resultOf(run).error?.length).to.be.greaterThan(record.error.length);
      });
    });

    it('--request-env: reads a 64 KiB program and its stdin from environment variables', async () => {
      const body = Array.from({ length: 5000 }, (_, i) => `v${i} = ${i}\n`).join('');
      const tail = 'print(input(), v4999)\n';
      const code = `${body}${'#'.repeat(64 * 1024 - Buffer.byteLength(body + tail) - 1)}\n${tail}`;
      expect(Buffer.byteLength(code)).to.equal(64 * 1024);
      const run = await runRunner({
        args: ['--request-env'],
        env: {
          RUNNER_CODE_B64: base64(code),
          RUNNER_STDIN_B64: base64('Zoë\n'),
          RUNNER_TIMEOUT_SECONDS: '5',
          RUNNER_MEMORY_BYTES: String(MEMORY_BYTES),
          RUNNER_OUTPUT_BYTES: String(OUTPUT_BYTES),
        },
      });
      expect(resultOf(run)).to.include({ status: 'ok', error: null });
      expect(run.parser.output).to.equal('Zoë 4999\n');
    });

    describe('invalid requests: exit code 2, a message on stderr, no record', () => {
      const complete = { code: 'print(1)', timeout_seconds: 5, memory_bytes: MEMORY_BYTES, output_bytes: OUTPUT_BYTES };
      const invalid: [string, string, RegExp][] = [
        ['not JSON', '{"code": ', /not valid JSON/],
        ['not an object', '[1, 2]', /must be a JSON object/],
        ['no code', JSON.stringify({ ...complete, code: undefined }), /'code' must be a string/],
        ['code not a string', JSON.stringify({ ...complete, code: 42 }), /'code' must be a string/],
        ['stdin not a string', JSON.stringify({ ...complete, stdin: 1 }), /'stdin' must be a string/],
        ['no timeout', JSON.stringify({ ...complete, timeout_seconds: undefined }), /'timeout_seconds' must be a number/],
        ['a zero timeout', JSON.stringify({ ...complete, timeout_seconds: 0 }), /'timeout_seconds' must be a positive number/],
        ['a fractional memory limit', JSON.stringify({ ...complete, memory_bytes: 1.5 }), /'memory_bytes' must be an integer/],
        ['a boolean output limit', JSON.stringify({ ...complete, output_bytes: true }), /'output_bytes' must be an integer/],
      ];
      for (const [what, input, message] of invalid) {
        it(what, async () => {
          const run = await runRunner({ input });
          expect(run.exitCode).to.equal(2);
          expect(run.stdout).to.equal('');
          expect(run.stderr).to.match(/^runner: invalid request: /).and.match(message);
        });
      }

      it('--request-env without RUNNER_CODE_B64', async () => {
        const run = await runRunner({ args: ['--request-env'], env: { RUNNER_TIMEOUT_SECONDS: '5' } });
        expect(run.exitCode).to.equal(2);
        expect(run.stderr).to.match(/RUNNER_CODE_B64 is not set/);
      });

      it('--request-env with code that is not base64', async () => {
        const env = { RUNNER_CODE_B64: 'not base64!', RUNNER_TIMEOUT_SECONDS: '5', RUNNER_MEMORY_BYTES: '1', RUNNER_OUTPUT_BYTES: '1' };
        const run = await runRunner({ args: ['--request-env'], env });
        expect(run.exitCode).to.equal(2);
        expect(run.stderr).to.match(/RUNNER_CODE_B64 is not base64/);
      });

      it('an unknown argument', async () => {
        const run = await runRunner({ input: complete, args: ['--verbose'] });
        expect(run.exitCode).to.equal(2);
        expect(run.stderr).to.match(/unknown argument '--verbose'/);
      });
    });
  });

  describe('the processes', () => {
    it('puts the OS limits on the program before it runs', async () => {
      let limits = '';
      const run = await runRunner({
        input: { code: 'import time\ntime.sleep(1.5)', timeout_seconds: 5, memory_bytes: MEMORY_BYTES },
        onSpawn: (child) => {
          // The program's limits, once the child has set them (it starts with the supervisor's).
          void waitUntil(() => {
            const pid = childPidOf(child.pid ?? 0);
            const text = pid === undefined ? '' : readLimits(pid);
            // RLIMIT_AS is the last one the child sets.
            return new RegExp(`^Max address space\\s+${MEMORY_BYTES}\\s`, 'm').test(text) ? text : undefined;
          }, 'the program limits').then((text) => {
            limits = text;
          });
        },
      });
      expect(resultOf(run).status).to.equal('ok');
      expect(limitOf(limits, 'Max address space')).to.deep.equal([String(MEMORY_BYTES), String(MEMORY_BYTES)]);
      expect(limitOf(limits, 'Max processes')).to.deep.equal(['0', '0']);
      expect(limitOf(limits, 'Max file size')).to.deep.equal(['0', '0']);
      expect(limitOf(limits, 'Max core file size')).to.deep.equal(['0', '0']);
      expect(limitOf(limits, 'Max open files')).to.deep.equal(['32', '32']);
      expect(limitOf(limits, 'Max cpu time')).to.deep.equal(['6', '7']);
    });

    it('makes the supervisor non-dumpable, so the program cannot open its /proc files', async () => {
      let owner = -1;
      let runnerUid = -1;
      const run = await runRunner({
        input: { code: 'import time\ntime.sleep(1)' },
        ...(unprivileged ? { identity: unprivileged } : {}),
        onSpawn: (child) => {
          void waitUntil(() => childPidOf(child.pid ?? 0), 'the program process').then(() => {
            runnerUid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
            owner = statSync(`/proc/${child.pid}/fd`).uid;
          });
        },
      });
      expect(resultOf(run).status).to.equal('ok');
      expect(runnerUid).to.not.equal(0);
      expect(owner, '/proc/<supervisor>/fd belongs to root: not dumpable').to.equal(0);
    });

    /** Runs a sleeping program and sends its process a signal once it runs. */
    async function signalProgram(signal: NodeJS.Signals): Promise<RunnerRun> {
      return runRunner({
        input: { code: 'import time\nprint("running", flush=True)\ntime.sleep(10)', timeout_seconds: 8 },
        onSpawn: (child) => {
          // Once the program runs, as its first output shows.
          let sent = false;
          child.stdout?.on('data', (chunk: string) => {
            const pid = childPidOf(child.pid ?? 0);
            if (sent || !chunk.includes('running') || pid === undefined) return;
            sent = true;
            process.kill(pid, signal);
          });
        },
      });
    }

    it('reads a SIGKILL it did not send (the OOM killer) as the memory limit', async () => {
      const run = await signalProgram('SIGKILL');
      expect(resultOf(run)).to.include({ status: 'memory', error: 'MemoryError: the program exceeded the memory limit of 128 MB' });
    });

    it('reads SIGXCPU (the CPU-time backstop) as a timeout, keeping the output', async () => {
      const run = await signalProgram('SIGXCPU');
      expect(resultOf(run)).to.include({ status: 'timeout', error: 'TimeoutError: execution timed out after 8 seconds' });
      expect(run.parser.output).to.equal('running\n');
    });

    it('reads a crash by another signal as an error naming it', async () => {
      const run = await signalProgram('SIGSEGV');
      expect(resultOf(run).status).to.equal('error');
      expect(resultOf(run).error).to.match(/^RuntimeError: the program crashed \(SIGSEGV: segmentation fault/);
    });

    it('takes the program down with it when it is terminated', async () => {
      let programPid = 0;
      const run = await runRunner({
        input: { code: 'import time\ntime.sleep(30)', timeout_seconds: 10 },
        onSpawn: (child) => {
          void waitUntil(() => childPidOf(child.pid ?? 0), 'the program process').then((pid) => {
            programPid = pid;
            child.kill('SIGTERM');
          });
        },
      });
      expect(run.exitCode).to.equal(128 + 15);
      expect(run.parser.result).to.equal(undefined);
      expect(programPid).to.be.greaterThan(0);
      await waitUntil(() => (isGone(programPid) ? true : undefined), 'the program to end');
    });
  });
});
