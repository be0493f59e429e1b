/**
 * The start-up trial: run a tiny Python program in a real sandbox, built by the same command
 * builder as every execution, and check from inside that the isolation holds (unprivileged uid,
 * loopback-only network, read-only root, the runner visible). Trusting that bwrap exists is not
 * enough: user namespaces may be disabled, or a container may forbid mounting /proc.
 */
import { SANDBOX_RUNNER_DIRECTORY, buildSandboxCommand, type SandboxLimits, type SandboxPlan } from './sandboxCommand.ts';
import { SandboxProcess } from './sandboxProcess.ts';

/** What the trial program reports from inside the sandbox. */
export interface SandboxFacts {
  readonly uid: number;
  readonly gid: number;
  readonly interfaces: readonly string[];
  /** "connected", or the errno name of the failed connect, e.g. ENETUNREACH. */
  readonly connect: string;
  /** "written", or the errno name of the failed write to /, e.g. EROFS. */
  readonly writeRoot: string;
  readonly home: boolean;
  readonly runnerReadable: boolean;
  /** The Seccomp field of /proc/self/status: "2" while a filter is installed. */
  readonly seccomp: string;
}

/** The trial's outcome: facts that passed every check, or why the sandbox is not usable. */
export type ProbeOutcome = { readonly ok: true; readonly facts: SandboxFacts } | { readonly ok: false; readonly reason: string };

// 192.0.2.1 is TEST-NET-1: never routed, so even a leaked network cannot reach anything.
const PROBE_PROGRAM = `
import errno, json, os, socket
def attempt(action, success):
    try:
        action()
        return success
    except OSError as error:
        return errno.errorcode.get(error.errno, str(error))
def connect():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(("192.0.2.1", 9))
def write_root():
    with open("/sandbox-probe", "w") as f:
        f.write("x")
print(json.dumps({
    "uid": os.getuid(), "gid": os.getgid(),
    "interfaces": [name for _, name in socket.if_nameindex()],
    "connect": attempt(connect, "connected"),
    "writeRoot": attempt(write_root, "written"),
    "home": os.path.exists("/home"),
    "seccomp": [line.split()[1] for line in open("/proc/self/status") if line.startswith("Seccomp:")][0],
    "runnerReadable": all(os.access("${SANDBOX_RUNNER_DIRECTORY}/" + name, os.R_OK) for name in ("runner.py", "runner_core.py", "policy.json")),
}))
`;

const PROBE_DEADLINE_MS = 15_000;

/** Runs the trial program in a sandbox built from `plan` and checks what it saw. */
export async function probeSandbox(plan: SandboxPlan, limits: SandboxLimits, expectedUid: number): Promise<ProbeOutcome> {
  let stdout = '';
  const sandbox = SandboxProcess.start(buildSandboxCommand(plan, limits, ['-I', '-S', '-B', '-c', PROBE_PROGRAM]), {
    input: '',
    deadlineMs: PROBE_DEADLINE_MS,
    stdoutLimitBytes: 64 * 1024,
    stdoutLineLimitBytes: 64 * 1024,
    onStdout: (text) => (stdout += text),
  });
  const exit = await sandbox.exited;
  if (exit.spawnError !== undefined) return { ok: false, reason: `cannot start ${plan.bwrapPath ?? 'the sandbox'}: ${exit.spawnError.message}` };
  if (exit.cause === 'deadline') return { ok: false, reason: 'the trial sandbox did not finish in time' };
  const facts = parseFacts(stdout);
  if (facts === undefined) {
    const said = firstLine(exit.stderr) || `exit code ${String(exit.exitCode ?? exit.signal)}`;
    return { ok: false, reason: `the trial sandbox failed: ${said}` };
  }
  const problems = checkFacts(facts, expectedUid, plan.seccompFilter !== undefined);
  return problems.length === 0 ? { ok: true, facts } : { ok: false, reason: `the trial sandbox is not isolated: ${problems.join('; ')}` };
}

/** Every way the facts fall short of the sandbox we promise. */
export function checkFacts(facts: SandboxFacts, expectedUid: number, seccomp: boolean): string[] {
  const problems: string[] = [];
  if (facts.uid === 0 || facts.uid !== expectedUid) problems.push(`runs as uid ${facts.uid}, expected ${expectedUid}`);
  if (facts.interfaces.join(',') !== 'lo') problems.push(`network interfaces ${facts.interfaces.join(',')} (expected only lo)`);
  if (facts.connect === 'connected') problems.push('an outbound connection succeeded');
  if (facts.writeRoot === 'written') problems.push('the root file system is writable');
  if (facts.home) problems.push('/home is visible');
  if (seccomp && facts.seccomp !== '2') problems.push(`no seccomp filter is installed (Seccomp: ${facts.seccomp})`);
  if (!facts.runnerReadable) problems.push(`the runner is not readable at ${SANDBOX_RUNNER_DIRECTORY} (check the directory permissions for uid ${expectedUid})`);
  return problems;
}

function parseFacts(stdout: string): SandboxFacts | undefined {
  try {
    const value = JSON.parse(stdout.trim()) as SandboxFacts;
    return typeof value.uid === 'number' && Array.isArray(value.interfaces) ? value : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
