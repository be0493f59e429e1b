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
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, type Settings } from '../../src/config/settings.ts';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { maxRunnerStreamBytes } from '../../src/execution/runnerProtocol.ts';
import type { Executor } from '../../src/execution/executor.ts';
import type { ExecutionRequest } from '../../src/execution/types.ts';
import { hostRootEntries } from '../../src/executors/local/hostFacts.ts';
import { createLocalExecutor } from '../../src/executors/local/index.ts';
import { detectIsolation, trySandbox } from '../../src/executors/local/isolation.ts';
import { RUNNER_DIRECTORY } from '../../src/executors/local/runnerLocation.ts';
import {
  SANDBOX_MAX_OPEN_FILES,
  SANDBOX_MAX_TASKS,
  SANDBOX_RUNNER_DIRECTORY,
  buildSandboxCommand,
  sandboxLimits,
  type SandboxPlan,
} from '../../src/executors/local/sandboxCommand.ts';
import { SandboxProcess, type SandboxExit } from '../../src/executors/local/sandboxProcess.ts';
import { DENIED_SYSTEM_CALLS, UNIMPLEMENTED_SYSTEM_CALLS, buildSeccompFilter } from '../../src/executors/local/seccompFilter.ts';
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
    "capabilities": status["CapEff"].strip(), "noNewPrivileges": status["NoNewPrivs"].strip(), "seccomp": status["Seccomp"].strip(),
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
        // Refused by the seccomp filter (unshare); without it, by --disable-userns (ENOSPC, below).
        userNamespace: 'EPERM',
        capabilities: '0000000000000000',
        noNewPrivileges: '1',
        // Mode 2: a filter is installed (ours: the test below shows what it refuses).
        seccomp: '2',
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

    /** Each system call made from inside with zero arguments: its result, or the errno name of its failure. */
    async function systemCallsInside(sandboxPlan: SandboxPlan, names: readonly string[]): Promise<Record<string, string>> {
      // Numbers for this machine's architecture, from the same libseccomp that builds the filter.
      const resolver = 'import json, sys, seccomp\nprint(json.dumps({n: seccomp.resolve_syscall(seccomp.Arch.NATIVE, n) for n in json.loads(sys.argv[1])}))';
      const numbers = JSON.parse(spawnSync('/usr/bin/python3', ['-I', '-c', resolver, JSON.stringify(names)], { encoding: 'utf8' }).stdout) as Record<string, number>;
      const program = [
        'import ctypes, errno, json',
        'libc = ctypes.CDLL(None, use_errno=True)',
        `numbers = json.loads(${JSON.stringify(JSON.stringify(numbers))})`,
        'def call(number):',
        '    result = libc.syscall(number, 0, 0, 0, 0, 0)',
        '    return errno.errorcode[ctypes.get_errno()] if result == -1 else str(result)',
        'print(json.dumps({name: call(number) for name, number in numbers.items()}))',
      ].join('\n');
      const { exit, stdout } = await runInSandbox(sandboxPlan, program);
      expect(exit.exitCode, exit.stderr).to.equal(0);
      return JSON.parse(stdout) as Record<string, string>;
    }

    it('refuses the seccomp deny-list with EPERM, and clone3 with ENOSYS (threads fall back to clone)', async () => {
      expect(plan.seccompFilter, 'no seccomp filter: is python3-seccomp installed (make system-deps)?').to.be.instanceOf(Buffer);
      const refused = await systemCallsInside(plan, [...DENIED_SYSTEM_CALLS, ...UNIMPLEMENTED_SYSTEM_CALLS, 'getppid']);
      const expected: Record<string, string> = { getppid: '0' };
      for (const name of DENIED_SYSTEM_CALLS) expected[name] = 'EPERM';
      for (const name of UNIMPLEMENTED_SYSTEM_CALLS) expected[name] = 'ENOSYS';
      expect(refused).to.deep.equal(expected);
      // Without the filter, the same sandbox lets a process ask to be traced (the filter makes the difference).
      const unfilteredPlan: SandboxPlan = { ...plan, seccompFilter: undefined };
      const unfiltered = await systemCallsInside(unfilteredPlan, ['ptrace', 'getppid']);
      expect(unfiltered).to.deep.equal({ ptrace: '0', getppid: '0' });
      // ...and bubblewrap's --disable-userns still forbids a nested user namespace.
      const nested = 'import ctypes, errno\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.unshare(0x10000000)\nprint(errno.errorcode[ctypes.get_errno()])';
      expect((await runInSandbox(unfilteredPlan, nested)).stdout).to.equal('ENOSPC\n');
      const { exit, stdout } = await runInSandbox(plan, 'import threading\nt = threading.Thread(target=print, args=("thread",))\nt.start()\nt.join()');
      expect([exit.exitCode, stdout]).to.deep.equal([0, 'thread\n']);
    });

    it('builds the filter with libseccomp, and says plainly when python3-seccomp is missing', async () => {
      const built = await buildSeccompFilter('/usr/bin/python3');
      expect(built.ok && built.unknown).to.deep.equal([]);
      // A BPF program: 8-byte instructions.
      expect(built.ok && built.filter.length % 8).to.equal(0);
      const directory = mkdtempSync(path.join(os.tmpdir(), 'no-seccomp-'));
      try {
        // The same interpreter without dist-packages (-S), where python3-seccomp lives.
        const bare = path.join(directory, 'python3');
        writeFileSync(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
        expect(await buildSeccompFilter(bare)).to.deep.equal({ ok: false, reason: 'python3-seccomp is not installed (apt-get install python3-seccomp)' });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('runs without the filter, and says why, when the kernel refuses it', async () => {
      // Eight bytes that are no BPF program: bwrap fails exactly as on a kernel without CONFIG_SECCOMP_FILTER.
      const refused = { ...plan, seccompFilter: Buffer.from('garbage!') };
      const attempt = await trySandbox(refused, settingsWith(), 'deny-list');
      expect(attempt.ok).to.equal(true);
      if (!attempt.ok) return;
      expect(attempt.plan.seccompFilter).to.equal(undefined);
      expect(attempt.seccomp).to.match(/^none: the trial sandbox failed with it \(the trial sandbox failed: bwrap: Unable to set up system call filtering/);
      expect((await trySandbox({ ...plan, bwrapPath: '/nonexistent/bwrap', seccompFilter: Buffer.from('garbage!') }, settingsWith(), 'deny-list')).ok).to.equal(false);
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
      // pid 1 was killed and bwrap, alive, reaped it and exited with its status (128 + SIGKILL):
      // nothing was orphaned, nothing was signalled after bwrap had reaped it.
      expect([exit.exitCode, exit.signal]).to.deep.equal([137, null]);
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
      expect(readiness.details).to.deep.include({
        isolation: 'bubblewrap',
        mode: 'strict',
        uid: String(expectedUid),
        seccomp: `deny-list of ${DENIED_SYSTEM_CALLS.length + UNIMPLEMENTED_SYSTEM_CALLS.length} system calls`,
      });
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

    /** How many bytes the runner wrote on stdout for `sent`, from the executor's own log line. */
    function stdoutBytesOf(sent: ExecutionRequest): number {
      const line = logLines.find((candidate) => candidate.msg === 'sandbox finished' && candidate.executionId === sent.id);
      expect(line, 'no "sandbox finished" line').to.not.equal(undefined);
      return line?.stdoutBytes as number;
    }

    it('returns the full 1 MB of a program that flushes every character, in a stream close to its size', async function () {
      this.timeout(90_000);
      const settings = settingsWith();
      const limit = settings.outputLimitBytes;
      const executor = await startedExecutor(settings);
      const sent = request(`for i in range(${limit}):\n    print(".", end="", flush=True)`, { timeoutSeconds: 60 });
      const result = await executor.run(sent, new AbortController().signal);
      expect(result).to.deep.include({ status: 'ok', error: null });
      expect(result.output).to.equal('.'.repeat(limit));
      // Frames of 31 bytes: at most 64 full records, 64 + limit / 64 delayed ones and the last; plus the result.
      const framing = 31 * (64 + 64 + limit / 64 + 1) + 200;
      expect(stdoutBytesOf(sent)).to.be.at.least(limit).and.at.most(limit + framing);
      expect(stdoutBytesOf(sent)).to.be.below(maxRunnerStreamBytes(limit));
    });

    it('returns the full 1 MB of a control-character flood, flushed byte by byte, within the bound on the stream', async function () {
      this.timeout(90_000);
      const settings = settingsWith();
      const limit = settings.outputLimitBytes;
      const executor = await startedExecutor(settings);
      const sent = request('import sys\nwhile True:\n    sys.stdout.write("\\x01")\n    sys.stdout.flush()', { timeoutSeconds: 60 });
      const result = await executor.run(sent, new AbortController().signal);
      expect(result).to.deep.include({ status: 'output_limit', error: 'OutputLimitExceeded: output exceeded the limit of 1 MB' });
      expect(result.output).to.equal('\x01'.repeat(limit));
      // Six bytes per output byte (`\u0001`): the worst case the bound is built on.
      expect(stdoutBytesOf(sent)).to.be.at.least(6 * limit).and.at.most(maxRunnerStreamBytes(limit));
    });

    it('compiles the runner at start-up, and the sandboxed runner loads that bytecode', async () => {
      const executor = await startedExecutor();
      expect(logLines.some((line) => line.msg === 'runner bytecode cached')).to.equal(true);
      const cache = path.join(RUNNER_DIRECTORY, '__pycache__');
      const compiled = readdirSync(cache).filter((file) => /^runner_core\..+\.pyc$/.test(file));
      expect(compiled).to.have.length.at.least(1);
      const isolation = await detectIsolation(settingsWith());
      const plan = isolation.plan as SandboxPlan;
      const command = buildSandboxCommand(plan, sandboxLimits(settingsWith(), 5), ['-I', '-S', '-B', '-v', `${SANDBOX_RUNNER_DIRECTORY}/runner.py`]);
      const sandbox = SandboxProcess.start(command, {
        input: JSON.stringify({ code: 'print(1)', timeout_seconds: 5, memory_bytes: 128 * 1024 * 1024, output_bytes: 1024 }),
        deadlineMs: 15_000,
        stdoutLimitBytes: 1024 * 1024,
        stdoutLineLimitBytes: 1024 * 1024,
        onStdout: () => undefined,
      });
      const exit = await sandbox.exited;
      expect(exit.exitCode).to.equal(0);
      expect(exit.stderr).to.include(`code object from '${SANDBOX_RUNNER_DIRECTORY}/__pycache__/runner_core.`);
      expect(statSync(path.join(cache, compiled[0] ?? '')).mtimeMs).to.be.at.least(statSync(path.join(RUNNER_DIRECTORY, 'runner_core.py')).mtimeMs);
      await executor.close();
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
