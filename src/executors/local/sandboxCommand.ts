/**
 * The command line of one sandbox: bubblewrap around prlimit around python3. A pure function of
 * what start-up found on this host (SandboxPlan) and the limits of one execution, so the exact
 * argv can be read, logged and tested on its own. The flags are explained in
 * docs/adr/0010-local-sandbox-bubblewrap.md.
 */
import type { Settings } from '../../config/settings.ts';

/** The runner directory's path inside the sandbox. */
export const SANDBOX_RUNNER_DIRECTORY = '/runner';

/**
 * File descriptor on which bubblewrap reports, as JSON documents (`--json-status-fd`), the host pid
 * of the sandbox's pid 1 once it exists (`child-pid`) and its exit once bwrap has reaped it
 * (`exit-code`).
 */
export const STATUS_FD = 3;

/** File descriptor from which bubblewrap reads the seccomp filter it installs (`--seccomp`). */
export const SECCOMP_FD = 4;

/**
 * Tasks (processes and threads) the whole sandbox may hold: the runner's supervisor and its
 * threads, the program. Counted per sandbox because each one has its own user namespace; the
 * runner itself forbids the program any new task.
 */
export const SANDBOX_MAX_TASKS = 16;

/**
 * Open files per process: a backstop, not a budget (the runner allows the program 32). Not lower:
 * the runner's child closes inherited descriptors up to its soft limit, so one inherited above a
 * smaller limit would survive into the program.
 */
export const SANDBOX_MAX_OPEN_FILES = 1024;

/**
 * Address space on top of the program's memory limit: the runner holds the program itself to the
 * exact limit; this backstop holds every process of the sandbox (the supervisor's interpreter
 * reserves about 20 MB) even if the runner's own limit were missing.
 */
export const SUPERVISOR_ADDRESS_SPACE_HEADROOM_BYTES = 64 * 1024 * 1024;

/** How an entry of the host's / (bin, lib, ...) is reproduced in the sandbox. */
export type RootEntry =
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'directory'; readonly path: string };

/** An unprivileged account (the service runs as root). */
export interface SandboxIdentity {
  readonly uid: number;
  readonly gid: number;
}

/** What start-up decided for this host; fixed for the executor's life. */
export interface SandboxPlan {
  /** bubblewrap: namespaces, read-only root, no network. none: development mode, rlimits only. */
  readonly isolation: 'bubblewrap' | 'none';
  /** Absolute path of bwrap (isolation 'bubblewrap' only). */
  readonly bwrapPath?: string;
  /** Absolute path of util-linux prlimit; without it (development only) the runner's own rlimits remain. */
  readonly prlimitPath?: string;
  /** Absolute path of python3; under /usr when sandboxed (only /usr is visible inside). */
  readonly pythonPath: string;
  /** The host directory holding runner.py and policy.json. */
  readonly runnerDirectory: string;
  /** The account the sandbox runs as; undefined: the service's own (it is not root). */
  readonly identity?: SandboxIdentity;
  /** The host's /bin, /lib... (merged-/usr symlinks or directories), reproduced inside. */
  readonly rootEntries: readonly RootEntry[];
  /** The compiled seccomp filter (BPF) bubblewrap installs (seccompFilter.ts); none: no filter. */
  readonly seccompFilter?: Buffer;
}

/** OS limits on everything in one sandbox, whatever the runner does. */
export interface SandboxLimits {
  readonly addressSpaceBytes: number;
  readonly cpuSeconds: number;
  readonly openFiles: number;
  /** Per-sandbox task cap; only enforceable with a user namespace of its own (bubblewrap). */
  readonly tasks: number;
}

/** What to spawn. */
export interface SandboxCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** The whole environment of the spawned process (nothing of the service's leaks in). */
  readonly env: Readonly<Record<string, string>>;
  readonly identity?: SandboxIdentity;
  /** bubblewrap reports the sandbox's pid 1 (the runner) and its exit as JSON on fd STATUS_FD. */
  readonly reportsStatus: boolean;
  /** To be written on fd SECCOMP_FD, where bubblewrap reads its seccomp filter. */
  readonly seccompFilter?: Buffer;
}

/**
 * The environment inside the sandbox: UTF-8 locale, UTC so that time.localtime() needs no
 * /etc/localtime, and nothing else (python runs with -I, so PYTHON* would be ignored anyway).
 */
export const SANDBOX_ENVIRONMENT: Readonly<Record<string, string>> = { LANG: 'C.UTF-8', TZ: 'UTC', PATH: '/usr/bin' };

/** The backstop limits of one execution with the given timeout. */
export function sandboxLimits(
  settings: Pick<Settings, 'memoryLimitBytes' | 'sandboxGraceSeconds'>,
  timeoutSeconds: number,
): SandboxLimits {
  return {
    addressSpaceBytes: settings.memoryLimitBytes + SUPERVISOR_ADDRESS_SPACE_HEADROOM_BYTES,
    cpuSeconds: Math.ceil(timeoutSeconds + settings.sandboxGraceSeconds),
    openFiles: SANDBOX_MAX_OPEN_FILES,
    tasks: SANDBOX_MAX_TASKS,
  };
}

/** `python3 -I -S -B <runner.py>` as seen from inside the sandbox. */
export function runnerArguments(plan: SandboxPlan): string[] {
  const directory = plan.isolation === 'bubblewrap' ? SANDBOX_RUNNER_DIRECTORY : plan.runnerDirectory;
  return ['-I', '-S', '-B', `${directory}/runner.py`];
}

/**
 * The full command: `bwrap <isolation> -- prlimit <limits> -- python3 <pythonArguments>`, or, in
 * development mode without bubblewrap, `prlimit <limits> -- python3 <pythonArguments>`.
 */
export function buildSandboxCommand(plan: SandboxPlan, limits: SandboxLimits, pythonArguments: readonly string[]): SandboxCommand {
  const bwrapPath = plan.isolation === 'bubblewrap' ? plan.bwrapPath : undefined;
  const inner = [...limitArguments(plan, limits, bwrapPath !== undefined), plan.pythonPath, ...pythonArguments];
  const identity = plan.identity === undefined ? {} : { identity: plan.identity };
  if (bwrapPath !== undefined) {
    const seccomp = plan.seccompFilter === undefined ? {} : { seccompFilter: plan.seccompFilter };
    return { file: bwrapPath, args: [...bubblewrapArguments(plan), '--', ...inner], env: {}, reportsStatus: true, ...identity, ...seccomp };
  }
  const [file, ...args] = inner as [string, ...string[]];
  return { file, args, env: { ...SANDBOX_ENVIRONMENT }, reportsStatus: false, ...identity };
}

/** `prlimit --as=... -- ` (soft = hard: the sandbox cannot raise them), or nothing without prlimit. */
function limitArguments(plan: SandboxPlan, limits: SandboxLimits, sandboxed: boolean): string[] {
  if (plan.prlimitPath === undefined) return [];
  const args = [
    plan.prlimitPath,
    `--as=${limits.addressSpaceBytes}`,
    `--cpu=${limits.cpuSeconds}`,
    '--fsize=0',
    '--core=0',
    `--nofile=${limits.openFiles}`,
  ];
  // Without a user namespace of its own, RLIMIT_NPROC would count every process of the account.
  if (sandboxed) args.push(`--nproc=${limits.tasks}`);
  args.push('--');
  return args;
}

/** bubblewrap's flags: every namespace, an empty read-only root with /usr and the runner. */
function bubblewrapArguments(plan: SandboxPlan): string[] {
  const environment = Object.entries(SANDBOX_ENVIRONMENT).flatMap(([name, value]) => ['--setenv', name, value]);
  return [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--as-pid-1',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    ...environment,
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/usr',
    '/usr',
    ...plan.rootEntries.flatMap(rootEntryArguments),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--remount-ro',
    '/dev',
    '--ro-bind',
    plan.runnerDirectory,
    SANDBOX_RUNNER_DIRECTORY,
    '--remount-ro',
    '/',
    '--chdir',
    '/',
    '--json-status-fd',
    String(STATUS_FD),
    ...(plan.seccompFilter === undefined ? [] : ['--seccomp', String(SECCOMP_FD)]),
  ];
}

function rootEntryArguments(entry: RootEntry): string[] {
  return entry.kind === 'symlink' ? ['--symlink', entry.target, entry.path] : ['--ro-bind', entry.path, entry.path];
}
