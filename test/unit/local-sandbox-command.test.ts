import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNNER_DIRECTORY } from '../../src/executors/local/runnerLocation.ts';
import {
  SANDBOX_ENVIRONMENT,
  buildSandboxCommand,
  runnerArguments,
  sandboxLimits,
  type SandboxPlan,
} from '../../src/executors/local/sandboxCommand.ts';
import { checkFacts, type SandboxFacts } from '../../src/executors/local/sandboxProbe.ts';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const filter = Buffer.from('a compiled BPF program');

const sandboxedPlan: SandboxPlan = {
  isolation: 'bubblewrap',
  bwrapPath: '/usr/bin/bwrap',
  prlimitPath: '/usr/bin/prlimit',
  pythonPath: '/usr/bin/python3.11',
  runnerDirectory: '/srv/app/src/runner',
  identity: { uid: 65534, gid: 65534 },
  rootEntries: [
    { kind: 'symlink', path: '/bin', target: 'usr/bin' },
    { kind: 'directory', path: '/lib' },
  ],
  seccompFilter: filter,
};

const limits = sandboxLimits({ memoryLimitBytes: 128 * 1024 * 1024, sandboxGraceSeconds: 2 }, 5);

describe('local sandbox command', () => {
  it('derives the backstop limits from the settings and the timeout', () => {
    expect(limits).to.deep.equal({ addressSpaceBytes: 192 * 1024 * 1024, cpuSeconds: 7, openFiles: 1024, tasks: 16 });
    expect(sandboxLimits({ memoryLimitBytes: 64 * 1024 * 1024, sandboxGraceSeconds: 2 }, 0.5).cpuSeconds).to.equal(3);
  });

  it('wraps prlimit and python in bubblewrap with every namespace and a read-only root', () => {
    const command = buildSandboxCommand(sandboxedPlan, limits, runnerArguments(sandboxedPlan));
    expect(command.file).to.equal('/usr/bin/bwrap');
    expect(command.args).to.deep.equal([
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
      '--as-pid-1',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--clearenv',
      '--setenv',
      'LANG',
      'C.UTF-8',
      '--setenv',
      'TZ',
      'UTC',
      '--setenv',
      'PATH',
      '/usr/bin',
      '--hostname',
      'sandbox',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--ro-bind',
      '/lib',
      '/lib',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--remount-ro',
      '/dev',
      '--ro-bind',
      '/srv/app/src/runner',
      '/runner',
      '--remount-ro',
      '/',
      '--chdir',
      '/',
      '--json-status-fd',
      '3',
      '--seccomp',
      '4',
      '--',
      '/usr/bin/prlimit',
      `--as=${192 * 1024 * 1024}`,
      '--cpu=7',
      '--fsize=0',
      '--core=0',
      '--nofile=1024',
      '--nproc=16',
      '--',
      '/usr/bin/python3.11',
      '-I',
      '-S',
      '-B',
      '/runner/runner.py',
    ]);
    expect(command.env).to.deep.equal({});
    expect(command.identity).to.deep.equal({ uid: 65534, gid: 65534 });
    expect(command.reportsStatus).to.equal(true);
    expect(command.seccompFilter).to.equal(filter);
  });

  it('leaves the seccomp filter out when there is none', () => {
    const plan: SandboxPlan = { ...sandboxedPlan, seccompFilter: undefined };
    const command = buildSandboxCommand(plan, limits, runnerArguments(plan));
    expect(command.args).to.not.include('--seccomp');
    expect(command.args.slice(command.args.indexOf('--json-status-fd'), command.args.indexOf('--json-status-fd') + 3)).to.deep.equal([
      '--json-status-fd',
      '3',
      '--',
    ]);
    expect(command.seccompFilter).to.equal(undefined);
  });

  it('runs prlimit and python directly in development mode, without a per-account process cap', () => {
    const plan: SandboxPlan = { ...sandboxedPlan, isolation: 'none', bwrapPath: undefined, identity: undefined, rootEntries: [] };
    const command = buildSandboxCommand(plan, limits, runnerArguments(plan));
    expect(command.file).to.equal('/usr/bin/prlimit');
    expect(command.args).to.deep.equal([
      `--as=${192 * 1024 * 1024}`,
      '--cpu=7',
      '--fsize=0',
      '--core=0',
      '--nofile=1024',
      '--',
      '/usr/bin/python3.11',
      '-I',
      '-S',
      '-B',
      '/srv/app/src/runner/runner.py',
    ]);
    expect(command.env).to.deep.equal(SANDBOX_ENVIRONMENT);
    expect(command.identity).to.equal(undefined);
    expect(command.reportsStatus).to.equal(false);
  });

  it('runs python alone when development mode has no prlimit either', () => {
    const plan: SandboxPlan = { ...sandboxedPlan, isolation: 'none', prlimitPath: undefined };
    const command = buildSandboxCommand(plan, limits, ['-c', 'pass']);
    expect(command.file).to.equal('/usr/bin/python3.11');
    expect(command.args).to.deep.equal(['-c', 'pass']);
    expect(command.identity).to.deep.equal({ uid: 65534, gid: 65534 });
  });

  it("finds the repository's src/runner from the module's own location", () => {
    expect(RUNNER_DIRECTORY).to.equal(path.join(repositoryRoot, 'src', 'runner'));
    expect(existsSync(RUNNER_DIRECTORY)).to.equal(true);
  });
});

describe('local sandbox trial checks', () => {
  const isolated: SandboxFacts = {
    uid: 65534,
    gid: 65534,
    interfaces: ['lo'],
    connect: 'ENETUNREACH',
    writeRoot: 'EROFS',
    home: false,
    runnerReadable: true,
    seccomp: '2',
  };

  it('accepts a sandbox with an unprivileged uid, loopback only and a read-only root', () => {
    expect(checkFacts(isolated, 65534, true)).to.deep.equal([]);
    expect(checkFacts({ ...isolated, seccomp: '0' }, 65534, false)).to.deep.equal([]);
  });

  it('names every property that does not hold', () => {
    const leaky: SandboxFacts = {
      uid: 0,
      gid: 0,
      interfaces: ['lo', 'eth0'],
      connect: 'connected',
      writeRoot: 'written',
      home: true,
      runnerReadable: false,
      seccomp: '0',
    };
    expect(checkFacts(leaky, 65534, true)).to.deep.equal([
      'runs as uid 0, expected 65534',
      'network interfaces lo,eth0 (expected only lo)',
      'an outbound connection succeeded',
      'the root file system is writable',
      '/home is visible',
      'no seccomp filter is installed (Seccomp: 0)',
      'the runner is not readable at /runner (check the directory permissions for uid 65534)',
    ]);
  });
});
