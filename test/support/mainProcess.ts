/**
 * src/main.ts as a real process on a free port of 127.0.0.1, its JSON log lines collected: what
 * the process-level tests (shutdown, start-up order) run, with either executor.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.ts';

export const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.ts');

/** The log line main.ts writes once the executor has started and can run code. */
export const READY_MESSAGE = 'listening; ready to run code';

/** A running main.ts. */
export interface RunningService {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Starts main.ts with `env` (on top of PATH, PORT, HOST and LOG_LEVEL) and waits until it has
 * logged `until` (default: ready to run code); fails with its stderr when it never does.
 */
export async function startMain(env: Record<string, string>, until = READY_MESSAGE): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => logs.some((l) => l.msg === until) || child.exitCode !== null, 15_000).catch(() => undefined);
  expect(logs.some((l) => l.msg === until), `service did not log "${until}": ${stderr}`).to.equal(true);
  return { child, url: `http://127.0.0.1:${port}`, logs, exited };
}

/** POST /items with `code`; the status and the parsed body. */
export async function execute(url: string, code: string, timeout = 10): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'shutdown-test', data: { code, timeout } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
