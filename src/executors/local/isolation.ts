/**
 * Start-up detection: which isolation this host offers, and therefore whether (and how) the local
 * executor may run code. The full sandbox is bubblewrap + prlimit, proven by a trial run; without
 * it, strict mode refuses to run code and development mode runs it with rlimits only, saying so.
 */
import path from 'node:path';
import type { Settings } from '../../config/settings.ts';
import type { Readiness } from '../../execution/executor.ts';
import { effectiveSandboxUid, findExecutable, hostRootEntries, isReadable, sandboxIdentity } from './hostFacts.ts';
import { RUNNER_DIRECTORY, RUNNER_MODULE, RUNNER_SCRIPT } from './runnerLocation.ts';
import { sandboxLimits, type SandboxPlan } from './sandboxCommand.ts';
import { probeSandbox } from './sandboxProbe.ts';
import { buildSeccompFilter } from './seccompFilter.ts';

/** What the executor may do: a plan to run code by, or none, with the readiness to report. */
export interface Isolation {
  /** undefined: no code may run (readiness.reason says why). */
  readonly plan: SandboxPlan | undefined;
  readonly readiness: Readiness;
}

type IsolationSettings = Pick<
  Settings,
  'pythonPath' | 'bwrapPath' | 'sandboxIsolation' | 'sandboxUid' | 'sandboxGid' | 'memoryLimitBytes' | 'sandboxGraceSeconds'
>;

/** A sandbox that passed its trial (with the uid it runs as and its seccomp filter, described), or why not. */
export type SandboxAttempt =
  | { readonly ok: true; readonly plan: SandboxPlan; readonly uid: number; readonly seccomp: string }
  | { readonly ok: false; readonly reason: string };

/** The only system tree mounted in the sandbox: the tools run inside must live there. */
const SANDBOX_SYSTEM_TREE = '/usr/';

/** Finds the tools, tries a real sandbox, and decides the plan according to SANDBOX_ISOLATION. */
export async function detectIsolation(settings: IsolationSettings): Promise<Isolation> {
  for (const file of [RUNNER_SCRIPT, RUNNER_MODULE]) {
    const runnerFile = path.join(RUNNER_DIRECTORY, file);
    if (!(await isReadable(runnerFile))) return unavailable(`the Python runner is missing at ${runnerFile}`);
  }
  const pythonPath = await findExecutable(settings.pythonPath);
  if (pythonPath === undefined) return unavailable(`no Python interpreter at ${settings.pythonPath} (PYTHON_PATH)`);
  const base: SandboxPlan = {
    isolation: 'none',
    pythonPath,
    prlimitPath: await findExecutable('prlimit'),
    runnerDirectory: RUNNER_DIRECTORY,
    identity: sandboxIdentity(settings),
    rootEntries: [],
  };
  const attempt = await tryBubblewrap(settings, base);
  if (attempt.ok) return sandboxed(attempt, settings);
  if (settings.sandboxIsolation === 'strict') {
    return unavailable(`no OS sandbox: ${attempt.reason}; refusing to run code (SANDBOX_ISOLATION=development would run it without one)`);
  }
  return development(base, attempt.reason);
}

async function tryBubblewrap(settings: IsolationSettings, base: SandboxPlan): Promise<SandboxAttempt> {
  const bwrapPath = await findExecutable(settings.bwrapPath);
  if (bwrapPath === undefined) return { ok: false, reason: `bubblewrap not found (BWRAP_PATH=${settings.bwrapPath})` };
  if (base.prlimitPath === undefined) return { ok: false, reason: 'prlimit (util-linux) not found' };
  for (const tool of [base.pythonPath, base.prlimitPath]) {
    if (!tool.startsWith(SANDBOX_SYSTEM_TREE)) return { ok: false, reason: `${tool} is outside ${SANDBOX_SYSTEM_TREE}, the only system tree in the sandbox` };
  }
  const seccomp = await seccompFilter(base.pythonPath);
  const plan: SandboxPlan = { ...base, isolation: 'bubblewrap', bwrapPath, rootEntries: await hostRootEntries(), ...seccomp.filter };
  return trySandbox(plan, settings, seccomp.description);
}

/**
 * Runs the trial sandbox for `plan`. When it fails with a seccomp filter and works without (a
 * kernel that cannot load one), the plan drops the filter: the rest of the sandbox still holds,
 * and `seccomp` (shown on /ready) says why there is none.
 */
export async function trySandbox(plan: SandboxPlan, settings: IsolationSettings, seccomp: string): Promise<SandboxAttempt> {
  const attempt = await trial(plan, settings, seccomp);
  if (attempt.ok || plan.seccompFilter === undefined) return attempt;
  const unfiltered = await trial({ ...plan, seccompFilter: undefined }, settings, `none: the trial sandbox failed with it (${attempt.reason})`);
  return unfiltered.ok ? unfiltered : attempt;
}

async function trial(plan: SandboxPlan, settings: IsolationSettings, seccomp: string): Promise<SandboxAttempt> {
  const probe = await probeSandbox(plan, sandboxLimits(settings, 1), effectiveSandboxUid(plan.identity));
  return probe.ok ? { ok: true, plan, uid: probe.facts.uid, seccomp } : { ok: false, reason: probe.reason };
}

/**
 * The seccomp filter for the plan, when libseccomp can build one. Without it the sandbox runs
 * with namespaces, no capabilities and rlimits only, and /ready says so: an added layer, not the
 * one the sandbox rests on (docs/adr/0010).
 */
async function seccompFilter(pythonPath: string): Promise<{ filter: { seccompFilter?: Buffer }; description: string }> {
  const outcome = await buildSeccompFilter(pythonPath);
  if (!outcome.ok) return { filter: {}, description: `none: ${outcome.reason}` };
  return { filter: { seccompFilter: outcome.filter }, description: `deny-list of ${outcome.rules} system calls` };
}

function sandboxed(attempt: SandboxAttempt & { ok: true }, settings: IsolationSettings): Isolation {
  return {
    plan: attempt.plan,
    readiness: {
      ready: true,
      reason: `bubblewrap sandbox: uid ${attempt.uid}, loopback-only network, read-only root, prlimit backstop, seccomp ${attempt.seccomp}`,
      details: {
        isolation: 'bubblewrap',
        mode: settings.sandboxIsolation,
        uid: String(attempt.uid),
        network: 'none (loopback only)',
        rootFilesystem: 'read-only',
        seccomp: attempt.seccomp,
      },
    },
  };
}

function development(base: SandboxPlan, why: string): Isolation {
  const uid = effectiveSandboxUid(base.identity);
  return {
    plan: base,
    readiness: {
      ready: true,
      reason: `development mode: no OS sandbox (${why})`,
      details: {
        isolation: 'none',
        mode: 'development',
        uid: String(uid),
        network: 'host network',
        rootFilesystem: 'host',
        limits: base.prlimitPath === undefined ? "the runner's own rlimits only" : 'prlimit',
      },
    },
  };
}

function unavailable(reason: string): Isolation {
  return { plan: undefined, readiness: { ready: false, reason } };
}
