/**
 * src/main.ts as a real process with the local executor: it serves on the configured port, and
 * on SIGTERM stops accepting connections, lets in-flight executions finish within the grace
 * period, stops the rest (their sandboxes are gone), and exits 0; a second signal exits at once.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MAIN, execute, startMain, type RunningService } from '../support/mainProcess.ts';
import { descendants } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

/** Whether `pid` is a live process (not gone, not a zombie). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The sandbox processes (bwrap and Python) under the service. */
function sandboxPids(service: RunningService): number[] {
  return descendants(service.child.pid)
    .filter((p) => p.command === 'bwrap' || p.command.startsWith('python3'))
    .map((p) => p.pid);
}

describe('main.ts: serving and shutdown (integration)', function () {
  this.timeout(60_000);
  let service: RunningService | undefined;

  afterEach(async () => {
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    service = undefined;
  });

  it('serves the spec example and logs its URL and readiness', async () => {
    service = await startMain({});
    const listening = service.logs.find((l) => l.msg === 'listening; ready to run code');
    expect(listening).to.include({ url: service.url, executor: 'local', ready: true });
    const res = await execute(service.url, "print('Hello, World!')");
    expect(res.status).to.equal(200);
    expect(res.body.data).to.include({ output: 'Hello, World!\n', error: null });
    service.child.kill('SIGTERM');
    expect(await service.exited).to.equal(0);
  });

  it('SIGTERM: an in-flight execution finishes within the grace period; new connections are refused; exit 0', async () => {
    service = await startMain({ SHUTDOWN_GRACE_SECONDS: '10' });
    const running = execute(service.url, 'import time\ntime.sleep(1.5)\nprint("finished")');
    const current = service;
    await waitFor(() => sandboxPids(current).length >= 3, 5000);
    service.child.kill('SIGTERM');
    await waitFor(() => current.logs.some((l) => l.msg === 'shutting down'));
    let refused = false;
    await fetch(`${service.url}/health`).catch(() => (refused = true));
    expect(refused, 'a new connection after SIGTERM').to.equal(true);
    const res = await running;
    expect(res.status).to.equal(200);
    expect(res.body.data).to.include({ output: 'finished\n' });
    expect(await service.exited).to.equal(0);
    expect(service.logs.map((l) => l.msg)).to.include.members(['shutting down', 'stopped']);
  });

  it('SIGTERM: past the grace period the execution is stopped (502), its sandbox is gone, exit 0', async () => {
    service = await startMain({ SHUTDOWN_GRACE_SECONDS: '0.5' });
    const running = execute(service.url, 'import time\ntime.sleep(20)', 10);
    const current = service;
    await waitFor(() => sandboxPids(current).length >= 3, 5000);
    const pids = sandboxPids(service);
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const res = await running;
    expect(res).to.deep.equal({ status: 502, body: { detail: 'The service is shutting down; the execution was stopped' } });
    expect(await service.exited).to.equal(0);
    expect(Date.now() - signalledAt).to.be.below(8000);
    expect(pids.filter(isAlive)).to.deep.equal([]);
    expect(service.logs.some((l) => l.msg === 'grace period over: stopping in-flight executions')).to.equal(true);
  });

  it('a second signal exits at once; the sandbox dies with the service', async () => {
    service = await startMain({ SHUTDOWN_GRACE_SECONDS: '30' });
    const running = execute(service.url, 'import time\ntime.sleep(20)', 10).catch(() => 'connection lost');
    const current = service;
    await waitFor(() => sandboxPids(current).length >= 3, 5000);
    const pids = sandboxPids(service);
    service.child.kill('SIGTERM');
    await waitFor(() => current.logs.some((l) => l.msg === 'shutting down'));
    service.child.kill('SIGINT');
    expect(await service.exited).to.equal(1);
    expect(await running).to.equal('connection lost');
    await waitFor(() => pids.filter(isAlive).length === 0, 5000);
  });

  it('invalid settings: prints the problem and exits 1', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: 'eighty', MAX_TIMEOUT_SECONDS: '-1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.match(/^code-execution-service: invalid settings: /);
    expect(stderr).to.include('PORT').and.include('MAX_TIMEOUT_SECONDS');
  });
});
