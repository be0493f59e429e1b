/**
 * `make bench`: latency and throughput of hello-world over HTTP with the local executor, beside
 * baselines measured in the same run. Starts the real service (dist/src/main.js, or src/main.ts
 * when not built) as a child process on a free port, and prints a table. Figures only: nothing is
 * asserted.
 *
 *   node bench/local.ts [requests-per-level=50]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/mainProcess.ts';
import { percentile } from './lib/stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const RUNNER = path.join(ROOT, 'src/runner/runner.py');
const REQUESTS = Number(process.argv[2] ?? 50);
const WARM_UP = 5;
const HELLO = { name: 'bench', data: { code: "print('Hello, World!')", timeout: 5 } };

interface Row {
  readonly what: string;
  readonly latenciesMs: number[];
  readonly wallMs: number;
  readonly failures: number;
}

/** Runs `command` to completion; resolves with its exit code. */
async function run(command: string, args: string[], stdin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'] });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** `count` sequential runs of `once`, timed one by one. */
async function sequential(what: string, count: number, once: () => Promise<boolean>): Promise<Row> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    if (!(await once())) failures += 1;
    latenciesMs.push(performance.now() - t0);
  }
  return { what, latenciesMs, wallMs: performance.now() - start, failures };
}

/** `count` requests over `concurrency` workers, each timed. */
async function concurrent(what: string, count: number, concurrency: number, once: () => Promise<boolean>): Promise<Row> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const t0 = performance.now();
      if (!(await once())) failures += 1;
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { what, latenciesMs, wallMs: performance.now() - start, failures };
}

async function helloOverHttp(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/execute/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(HELLO),
  });
  const body = (await response.json()) as { data?: { output?: string } };
  return response.status === 200 && body.data?.output === 'Hello, World!\n';
}

function startService(port: number): ChildProcess {
  const built = path.join(ROOT, 'dist/src/main.js');
  const entry = existsSync(built) ? built : path.join(ROOT, 'src/main.ts');
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', EXECUTOR: 'local', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`service: ${path.relative(ROOT, entry)} on 127.0.0.1:${port} (pid ${child.pid})`);
  return child;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  let last = 'no answer';
  for (let i = 0; i < 150; i += 1) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await delay(100);
  }
  throw new Error(`the service did not become ready: ${last}`);
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(20_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function printTable(rows: Row[]): void {
  const header = ['measurement', 'n', 'failed', 'p50 ms', 'p99 ms', 'throughput /s'];
  const lines = rows.map((row) => {
    const sorted = [...row.latenciesMs].sort((a, b) => a - b);
    return [
      row.what,
      String(sorted.length),
      String(row.failures),
      percentile(sorted, 50).toFixed(1),
      percentile(sorted, 99).toFixed(1),
      ((sorted.length / row.wallMs) * 1000).toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await sequential('baseline: python3 -c pass (spawn)', REQUESTS, async () => (await run(PYTHON, ['-c', 'pass'])) === 0));
  if (existsSync(RUNNER)) {
    const request = JSON.stringify({ code: "print('Hello, World!')", stdin: '', timeout_seconds: 5, memory_bytes: 134217728, output_bytes: 1048576 });
    rows.push(
      await sequential('baseline: runner.py hello, no sandbox', REQUESTS, async () => (await run(PYTHON, ['-I', '-S', '-B', RUNNER], request)) === 0),
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = startService(port);
  try {
    await waitUntilReady(url, child);
    for (let i = 0; i < WARM_UP; i += 1) await helloOverHttp(url);
    rows.push(await concurrent('service: hello over HTTP, concurrency 1', REQUESTS, 1, () => helloOverHttp(url)));
    rows.push(await concurrent('service: hello over HTTP, concurrency 4', REQUESTS, 4, () => helloOverHttp(url)));
  } finally {
    await stopService(child);
  }
  printTable(rows);
}

await main();
