/**
 * The local executor with real processes: bubblewrap, prlimit and /usr/bin/python3.
 *
 * The OS layer is proven with plain Python programs run through the same command builder and
 * process module as every execution (a runner-free program can look at the sandbox from inside);
 * the executor itself is proven end to end through the real runner. The runner's own corpus
 * (blocked imports, limits) is run by the HTTP integration tests, not repeated here.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSettings, type Settings } from '../../src/config/settings.ts';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import type { Executor } from '../../src/execution/executor.ts';
import type { ExecutionRequest } from '../../src/execution/types.ts';
import { hostRootEntries } from '../../src/executors/local/hostFacts.ts';
import { createLocalExecutor } from '../../src/executors/local/index.ts';
import { detectIsolation } from '../../src/executors/local/isolation.ts';
import {
  SANDBOX_MAX_OPEN_FILES,
  SANDBOX_MAX_TASKS,
  buildSandboxCommand,
  sandboxLimits,
  type SandboxPlan,
} from '../../src/executors/local/sandboxCommand.ts';
import { SandboxProcess, type SandboxExit } from '../../src/executors/local/sandboxProcess.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';

const runningAsRoot = process.getuid?.() === 0;
const expectedUid = runningAsRoot ? 65534 : process.getuid?.();

function settingsWith(env: Record<string, string> = {}): Settings {
  return loadSettings(env);
}

// ---- processes, seen from the host through /proc ----

/** Parent pid of every process on the host. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/** Every process below `root`. */
function descendants(root: number): number[] {
  const parents = parentPids();
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** True while the pid exists at all, zombies included: a zombie is a process left behind too. */
function exists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Descriptors this test process inherited without close-on-exec (from whatever started it): they
 * pass through every exec, bwrap's included, so the sandbox sees them too. The executor adds none.
 */
function inheritedDescriptors(): number[] {
  return readdirSync('/proc/self/fdinfo')
    .map(Number)
    .filter((fd) => fd > 2)
    .filter((fd) => {
      try {
        const flags = /flags:\s*(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0';
        return (parseInt(flags, 8) & 0o2000000) === 0;
      } catch {
        return false;
      }
    })
    .sort((a, b) => a - b);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until this test process has a sandbox holding `pythons` python processes; returns its tree. */
async function sandboxTree(pythons: number): Promise<number[]> {
  for (let attempt = 0; attempt < 250; attempt += 1) {
    const tree = descendants(process.pid);
    if (tree.filter((pid) => commandName(pid).startsWith('python')).length >= pythons) return tree;
    await sleep(20);
  }
  throw new Error(`no sandbox with ${pythons} python processes appeared`);
}

// ---- running a program in the sandbox without the runner ----

async function runInSandbox(
  plan: SandboxPlan,
  program: string,
  options: { deadlineMs?: number; stdoutLimitBytes?: number; stdoutLineLimitBytes?: number; onStart?: (sandbox: SandboxProcess, stdout: string) => void } = {},
): Promise<{ exit: SandboxExit; stdout: string }> {
  let stdout = '';
  const command = buildSandboxCommand(plan, sandboxLimits(settingsWith(), 1), ['-I', '-S', '-B', '-c', program]);
  const sandbox: SandboxProcess = SandboxProcess.start(command, {
    input: '',
    deadlineMs: options.deadlineMs ?? 15_000,
    stdoutLimitBytes: options.stdoutLimitBytes ?? 1024 * 1024,
    stdoutLineLimitBytes: options.stdoutLineLimitBytes ?? 1024 * 1024,
    onStdout: (text) => {
      stdout += text;
      options.onStart?.(sandbox, stdout);
    },
  });
  return { exit: await sandbox.exited, stdout };
}

const INSIDE_VIEW = `
import ctypes, errno, json, os, resource, socket, time
def attempt(action, success):
    try:
        action()
        return success
    except OSError as error:
        return errno.errorcode[error.errno]
def connect():
    with socket.socket() as s:
        s.settimeout(2)
        s.connect(("192.0.2.1", 80))
def write(path):
    def action():
        with open(path, "w") as f:
            f.write("x")
    return action
def forks():
    children, failure = [], None
    try:
        for _ in range(64):
            pid = os.fork()
            if pid == 0:
                time.sleep(30)
                os._exit(0)
            children.append(pid)
    except OSError as error:
        failure = errno.errorcode[error.errno]
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return [len(children), failure]
def new_user_namespace():
    libc = ctypes.CDLL(None, use_errno=True)
    return "created" if libc.unshare(0x10000000) == 0 else errno.errorcode[ctypes.get_errno()]
def is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
limits = {name: resource.getrlimit(getattr(resource, "RLIMIT_" + name)) for name in ["AS", "CPU", "FSIZE", "CORE", "NOFILE", "NPROC"]}
print(json.dumps({
    "uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "pid": os.getpid(),
    "processes": sorted(entry for entry in os.listdir("/proc") if entry.isdigit()),
    "hostname": socket.gethostname(),
    "interfaces": [name for _, name in socket.if_nameindex()],
    "connect": attempt(connect, "connected"),
    "writes": {path: attempt(write(path), "written") for path in ["/probe", "/usr/probe", "/runner/probe", "/dev/shm/probe", "/tmp/probe"]},
    "root": sorted(os.listdir("/")),
    "forks": forks(),
    "userNamespace": new_user_namespace(),
    "capabilities": status["CapEff"].strip(), "noNewPrivileges": status["NoNewPrivs"].strip(),
    "limits": limits,
    "environment": dict(os.environ),
    "openDescriptors": [fd for fd in range(256) if is_open(fd)],
}))
`;

describe('local executor', () => {
  describe('the sandbox, seen from inside', () => {
    let plan: SandboxPlan;

    before(async () => {
      const isolation = await detectIsolation(settingsWith());
      expect(isolation.readiness.ready, isolation.readiness.reason).to.equal(true);
      expect(isolation.plan?.isolation).to.equal('bubblewrap');
      plan = isolation.plan as SandboxPlan;
    });

    it('is unprivileged, offline, read-only, alone, and bounded by the backstop limits', async () => {
      const { exit, stdout } = await runInSandbox(plan, INSIDE_VIEW);
      expect(exit.exitCode, exit.stderr).to.equal(0);
      const inside = JSON.parse(stdout) as Record<string, unknown>;
      const rootEntries = (await hostRootEntries()).map((entry) => entry.path.slice(1));
      const memory = settingsWith().memoryLimitBytes + 64 * 1024 * 1024;
      expect(inside).to.deep.equal({
        uid: expectedUid,
        gid: runningAsRoot ? 65534 : process.getgid?.(),
        groups: [],
        // The runner is pid 1 of its own pid namespace and sees no other process.
        pid: 1,
        processes: ['1'],
        hostname: 'sandbox',
        interfaces: ['lo'],
        connect: 'ENETUNREACH',
        writes: {
          '/probe': 'EROFS',
          '/usr/probe': 'EROFS',
          '/runner/probe': 'EROFS',
          '/dev/shm/probe': 'EROFS',
          '/tmp/probe': 'ENOENT',
        },
        // No /home, /etc, /tmp, /var, /root: only /usr, the runner, /proc and /dev.
        root: ['dev', 'proc', 'runner', 'usr', ...rootEntries].sort(),
        // Every task in the sandbox counts, pid 1 included.
        forks: [SANDBOX_MAX_TASKS - 1, 'EAGAIN'],
        userNamespace: 'ENOSPC',
        capabilities: '0000000000000000',
        noNewPrivileges: '1',
        limits: {
          AS: [memory, memory],
          CPU: [3, 3],
          FSIZE: [0, 0],
          CORE: [0, 0],
          NOFILE: [SANDBOX_MAX_OPEN_FILES, SANDBOX_MAX_OPEN_FILES],
          NPROC: [SANDBOX_MAX_TASKS, SANDBOX_MAX_TASKS],
        },
        environment: { LANG: 'C.UTF-8', TZ: 'UTC', PATH: '/usr/bin', PWD: '/' },
        openDescriptors: [0, 1, 2, ...inheritedDescriptors()],
      });
    });

    it('kills a sandbox that outlives its deadline, leaving no process behind', async () => {
      let tree: number[] = [];
      let names: string[] = [];
      const { exit, stdout } = await runInSandbox(plan, 'import time\nprint("sleeping", flush=True)\ntime.sleep(60)', {
        deadlineMs: 1000,
        onStart: (sandbox) => {
          tree = [sandbox.pid ?? -1, ...descendants(sandbox.pid ?? -1)];
          names = tree.map(commandName);
        },
      });
      expect(stdout).to.equal('sleeping\n');
      expect(exit.cause).to.equal('deadline');
      // bwrap outside, python (after prlimit's exec) as pid 1 inside.
      expect(names).to.deep.equal(['bwrap', path.basename(plan.pythonPath)]);
      expect(tree.filter(exists)).to.deep.equal([]);
    });

    it('kills a sandbox that floods stdout beyond the bound', async () => {
      let tree: number[] = [];
      const { exit } = await runInSandbox(plan, 'while True:\n    print("x" * 999, flush=True)', {
        stdoutLimitBytes: 100_000,
        onStart: (sandbox) => {
          if (tree.length === 0) tree = [sandbox.pid ?? -1, ...descendants(sandbox.pid ?? -1)];
        },
      });
      expect(exit.cause).to.equal('stdout_overflow');
      expect(exit.stdoutBytes).to.be.greaterThan(100_000);
      expect(tree.filter(exists)).to.deep.equal([]);
    });

    it('kills a sandbox that writes one endless line', async () => {
      const { exit } = await runInSandbox(plan, 'import sys\nwhile True:\n    sys.stdout.write("x" * 999)', {
        stdoutLineLimitBytes: 100_000,
      });
      expect(exit.cause).to.equal('stdout_overflow');
      expect(exit.stdoutBytes).to.be.greaterThan(100_000).and.below(1024 * 1024);
    });
  });

  describe('running programs through the runner', () => {
    const executors: Executor[] = [];
    let logLines: Record<string, unknown>[];

    const request = (code: string, overrides: Partial<ExecutionRequest> = {}): ExecutionRequest => ({
      id: `exec-${Math.random().toString(36).slice(2, 10)}`,
      name: 'test',
      code,
      stdin: '',
      timeoutSeconds: 5,
      ...overrides,
    });

    /** A started executor, closed after the test; its log lines land in `logLines`. */
    async function startedExecutor(settings: Settings = settingsWith()): Promise<Executor> {
      logLines = [];
      const logger = createLogger('debug', { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
      const executor = createLocalExecutor({ settings, logger, metrics: new Metrics() });
      executors.push(executor);
      await executor.start();
      return executor;
    }

    async function failureOf(promise: Promise<unknown>): Promise<ExecutionFailure> {
      try {
        await promise;
      } catch (error) {
        if (error instanceof ExecutionFailure) return error;
        throw error;
      }
      throw new Error('expected the execution to fail');
    }

    afterEach(async () => {
      await Promise.all(executors.splice(0).map((executor) => executor.close()));
    });

    it('is ready with bubblewrap and runs hello world', async () => {
      const executor = await startedExecutor();
      const readiness = await executor.readiness();
      expect(readiness.ready).to.equal(true);
      expect(readiness.details).to.deep.include({ isolation: 'bubblewrap', mode: 'strict', uid: String(expectedUid) });
      const result = await executor.run(request('print("Hello, World!")'), new AbortController().signal);
      expect(result.status).to.equal('ok');
      expect(result.output).to.equal('Hello, World!\n');
      expect(result.error).to.equal(null);
      expect(result.executionTimeMs).to.be.a('number').and.at.least(0);
    });

    it('returns a runtime error with the output printed before it, and reads stdin', async () => {
      const executor = await startedExecutor();
      const failing = await executor.run(request('print("before")\nundefined_var'), new AbortController().signal);
      expect(failing).to.deep.include({ status: 'error', output: 'before\n', error: "NameError: name 'undefined_var' is not defined" });
      const echo = await executor.run(request('name = input()\nprint("hi", name)', { stdin: 'Ada\n' }), new AbortController().signal);
      expect(echo).to.deep.include({ status: 'ok', output: 'hi Ada\n', error: null });
    });

    it('reports a program that sleeps past its timeout as a timeout', async () => {
      const executor = await startedExecutor();
      const result = await executor.run(request('import time\nprint("start")\ntime.sleep(30)', { timeoutSeconds: 1 }), new AbortController().signal);
      expect(result).to.deep.include({ status: 'timeout', output: 'start\n', error: 'TimeoutError: execution timed out after 1 second' });
    });

    it('logs every line of an execution with its execution id', async () => {
      const executor = await startedExecutor();
      const sent = request('print(1)');
      await executor.run(sent, new AbortController().signal);
      const lines = logLines.filter((line) => line.msg === 'sandbox finished');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ executionId: sent.id, status: 'ok', exitCode: 0 });
    });

    it('turns a runner that ends without a result into unavailable, its stderr kept for the log only', async () => {
      const executor = await startedExecutor();
      // The runner refuses a zero timeout (exit code 2, a message on stderr); the HTTP layer never sends one.
      const sent = request('print(1)', { timeoutSeconds: 0 });
      const failure = await failureOf(executor.run(sent, new AbortController().signal));
      expect(failure.kind).to.equal('unavailable');
      expect(failure.message).to.equal('the sandbox ended without a result; see the service log');
      const logged = logLines.filter((line) => line.msg === 'sandbox ended without a result');
      expect(logged).to.have.length(1);
      expect(logged[0]).to.include({
        level: 50,
        executionId: sent.id,
        exitCode: 2,
        reason: 'exited with code 2',
      });
      expect(logged[0]?.stderr).to.match(/invalid request.*timeout_seconds/);
    });

    it('kills the whole sandbox when the execution is aborted', async () => {
      const executor = await startedExecutor();
      const controller = new AbortController();
      const running = executor.run(request('import time\ntime.sleep(30)', { timeoutSeconds: 10 }), controller.signal);
      const tree = await sandboxTree(2);
      controller.abort();
      const failure = await failureOf(running);
      expect(failure.kind).to.equal('aborted');
      expect(tree.filter(exists)).to.deep.equal([]);
    });

    it('refuses to start an execution whose client is already gone', async () => {
      const executor = await startedExecutor();
      const controller = new AbortController();
      controller.abort();
      expect((await failureOf(executor.run(request('print(1)'), controller.signal))).kind).to.equal('aborted');
    });

    it('close() stops every sandbox in flight and leaves no process behind', async () => {
      const executor = await startedExecutor();
      const first = failureOf(executor.run(request('import time\ntime.sleep(30)', { timeoutSeconds: 10 }), new AbortController().signal));
      const second = failureOf(executor.run(request('while True: pass', { timeoutSeconds: 10 }), new AbortController().signal));
      const tree = await sandboxTree(4);
      await executor.close();
      expect((await first).kind).to.equal('interrupted');
      expect((await second).kind).to.equal('interrupted');
      expect(tree.filter(exists)).to.deep.equal([]);
      expect(await executor.readiness()).to.deep.equal({ ready: false, reason: 'the local executor is shut down' });
      expect((await failureOf(executor.run(request('print(1)'), new AbortController().signal))).kind).to.equal('unavailable');
    });

    it('strict mode without bubblewrap is not ready and refuses to run code', async () => {
      const executor = await startedExecutor(settingsWith({ BWRAP_PATH: '/nonexistent/bwrap' }));
      const reason = 'no OS sandbox: bubblewrap not found (BWRAP_PATH=/nonexistent/bwrap); refusing to run code (SANDBOX_ISOLATION=development would run it without one)';
      expect(await executor.readiness()).to.deep.equal({ ready: false, reason });
      const failure = await failureOf(executor.run(request('print(1)'), new AbortController().signal));
      expect(failure.kind).to.equal('unavailable');
      expect(failure.message).to.equal(reason);
      expect(logLines.some((line) => line.level === 50 && line.msg === `local executor cannot run code: ${reason}`)).to.equal(true);
    });

    it('strict mode is not ready when bubblewrap exists but cannot build a sandbox (no user namespaces)', () => {
      // The detection runs in a Node process that is itself in a sandbox forbidding user namespaces.
      const source = path.resolve(import.meta.dirname, '../../src');
      const script = [
        `import { loadSettings } from '${source}/config/settings.ts';`,
        `import { detectIsolation } from '${source}/executors/local/isolation.ts';`,
        'console.log(JSON.stringify(await detectIsolation(loadSettings({}))));',
      ].join('\n');
      const confined = spawnSync(
        '/usr/bin/bwrap',
        ['--dev-bind', '/', '/', '--unshare-user', '--disable-userns', '--', process.execPath, '--input-type=module', '-e', script],
        { encoding: 'utf8', ...(runningAsRoot ? { uid: 65534, gid: 65534 } : {}) },
      );
      expect(confined.status, confined.stderr).to.equal(0);
      const isolation = JSON.parse(confined.stdout) as { plan?: unknown; readiness: { ready: boolean; reason: string } };
      expect(isolation.plan).to.equal(undefined);
      expect(isolation.readiness.ready).to.equal(false);
      expect(isolation.readiness.reason).to.match(/^no OS sandbox: the trial sandbox failed: bwrap: .*namespace/);
    });

    it('development mode without bubblewrap runs code and says so in readiness and the logs', async () => {
      const executor = await startedExecutor(settingsWith({ BWRAP_PATH: '/nonexistent/bwrap', SANDBOX_ISOLATION: 'development' }));
      const readiness = await executor.readiness();
      expect(readiness.ready).to.equal(true);
      expect(readiness.reason).to.equal('development mode: no OS sandbox (bubblewrap not found (BWRAP_PATH=/nonexistent/bwrap))');
      expect(readiness.details).to.deep.include({ isolation: 'none', mode: 'development', network: 'host network' });
      const sent = request('print("Hello, World!")');
      const result = await executor.run(sent, new AbortController().signal);
      expect(result).to.deep.include({ status: 'ok', output: 'Hello, World!\n', error: null });
      const warnings = logLines.filter((line) => line.level === 40);
      expect(warnings.map((line) => line.msg)).to.deep.equal([
        'local executor: development mode: no OS sandbox (bubblewrap not found (BWRAP_PATH=/nonexistent/bwrap)); code runs WITHOUT an OS sandbox',
        'development mode: running code without an OS sandbox',
      ]);
      expect(warnings[1]).to.include({ executionId: sent.id });
    });
  });
});
