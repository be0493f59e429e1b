/**
 * The sandbox's seccomp filter: a deny-list of system calls that no learner program needs and that
 * are, year after year, where kernel privilege escalations live (docs/adr/0010). Built once at
 * start-up by libseccomp (Debian's python3-seccomp, run with the host's python3), which compiles
 * the rules for this machine's architecture, and handed to bubblewrap (`--seccomp FD`) for every
 * sandbox, which installs it just before it runs prlimit and the runner.
 */
import { execFile } from 'node:child_process';

/** Denied with EPERM, as a kernel without them (or an unprivileged caller) would answer. */
export const DENIED_SYSTEM_CALLS: readonly string[] = [
  // Other processes' memory and state.
  'ptrace',
  'process_vm_readv',
  'process_vm_writev',
  'kcmp',
  'pidfd_getfd',
  // Kernel keyrings (not namespaced).
  'keyctl',
  'add_key',
  'request_key',
  // Large kernel interfaces with a long record of exploits.
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'fanotify_init',
  // Namespaces and mounts (the sandbox's are fixed once bubblewrap has built them).
  'unshare',
  'setns',
  'mount',
  'umount2',
  'pivot_root',
  'chroot',
  'move_mount',
  'open_tree',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'mount_setattr',
  'name_to_handle_at',
  'open_by_handle_at',
  // The machine itself.
  'kexec_load',
  'kexec_file_load',
  'init_module',
  'finit_module',
  'delete_module',
  'reboot',
  'swapon',
  'swapoff',
  'acct',
  'syslog',
  'quotactl',
  'vhangup',
  'settimeofday',
  'clock_settime',
  'clock_adjtime',
  'adjtimex',
  'iopl',
  'ioperm',
  'modify_ldt',
  'uselib',
  'personality',
];

/**
 * Answered ENOSYS: clone3's flags sit in memory, out of a filter's sight, so it is refused as
 * "not implemented" and the C library falls back to clone (as Docker's and Flatpak's filters do).
 */
export const UNIMPLEMENTED_SYSTEM_CALLS: readonly string[] = ['clone3'];

/**
 * Prints the BPF program on stdout; names this libseccomp does not know on this architecture are
 * listed on stderr and skipped. Run without -S: python3-seccomp lives in dist-packages.
 */
const FILTER_PROGRAM = `
import errno, json, sys
import seccomp
rules = json.loads(sys.argv[1])
unknown = []
flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
for code, names in ((errno.EPERM, rules["denied"]), (errno.ENOSYS, rules["unimplemented"])):
    for name in names:
        try:
            flt.add_rule(seccomp.ERRNO(code), name)
        except Exception:
            unknown.append(name)
sys.stdout.flush()
flt.export_bpf(sys.stdout)
sys.stderr.write(json.dumps(unknown))
`;

const FILTER_TIMEOUT_MS = 30_000;

/** The compiled filter, or why there is none. */
export type SeccompOutcome =
  | { readonly ok: true; readonly filter: Buffer; readonly rules: number; readonly unknown: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Compiles the filter with the python3 at `pythonPath` (Debian: /usr/bin/python3 + python3-seccomp). */
export function buildSeccompFilter(pythonPath: string): Promise<SeccompOutcome> {
  const rules = JSON.stringify({ denied: DENIED_SYSTEM_CALLS, unimplemented: UNIMPLEMENTED_SYSTEM_CALLS });
  return new Promise((resolve) => {
    const options = { env: {}, timeout: FILTER_TIMEOUT_MS, encoding: 'buffer' as const };
    execFile(pythonPath, ['-I', '-c', FILTER_PROGRAM, rules], options, (error, stdout, stderr) => {
      const said = stderr.toString('utf8').trim();
      if (error !== null) {
        resolve({ ok: false, reason: describeFailure(said, error.message) });
        return;
      }
      const unknown = parseUnknown(said);
      const count = DENIED_SYSTEM_CALLS.length + UNIMPLEMENTED_SYSTEM_CALLS.length - unknown.length;
      resolve({ ok: true, filter: stdout, rules: count, unknown });
    });
  });
}

function describeFailure(stderr: string, fallback: string): string {
  if (stderr.includes("No module named 'seccomp'")) return 'python3-seccomp is not installed (apt-get install python3-seccomp)';
  return stderr.split('\n').at(-1)?.trim() || fallback;
}

function parseUnknown(stderr: string): string[] {
  try {
    const value: unknown = JSON.parse(stderr);
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}
