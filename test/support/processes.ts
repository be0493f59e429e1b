/** The process tree under this test process, read from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(fields[1]), command: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every live descendant of `root` (default: this process), zombies excluded. */
export function descendants(root = process.pid): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined && !isZombie(info.pid));
  const found: ProcessInfo[] = [];
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const children = all.filter((info) => frontier.has(info.ppid));
    found.push(...children);
    frontier = new Set(children.map((child) => child.pid));
  }
  return found;
}

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}
