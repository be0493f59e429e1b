/**
 * Facts about this host that decide how sandboxes are built: where the tools are, which account
 * to run as, how / is laid out.
 */
import { constants } from 'node:fs';
import { access, lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { RootEntry, SandboxIdentity } from './sandboxCommand.ts';

/**
 * Where a bare tool name (`bwrap`) is looked up. Deliberately not $PATH: the sandbox's own tools
 * come from system directories, whatever the service's environment says.
 */
export const SYSTEM_BIN_DIRECTORIES: readonly string[] = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Entries of / that programs reach through /usr on merged-/usr systems, or that are real directories. */
const ROOT_ENTRY_NAMES = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/** The real path of an executable file, or undefined. Bare names are looked up in SYSTEM_BIN_DIRECTORIES. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const candidates = name.includes('/') ? [name] : SYSTEM_BIN_DIRECTORIES.map((directory) => path.join(directory, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return await realpath(candidate);
    } catch {
      // not here; try the next one
    }
  }
  return undefined;
}

/** True when the file can be read by this process. */
export async function isReadable(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The unprivileged account for sandboxes when the service runs as root; else none (run as ourselves). */
export function sandboxIdentity(settings: { sandboxUid: number; sandboxGid: number }): SandboxIdentity | undefined {
  return process.getuid?.() === 0 ? { uid: settings.sandboxUid, gid: settings.sandboxGid } : undefined;
}

/** The uid sandboxed programs will have. */
export function effectiveSandboxUid(identity: SandboxIdentity | undefined): number {
  return identity?.uid ?? process.getuid?.() ?? -1;
}

/** How /bin, /lib, /lib64... exist on this host, to reproduce them beside the sandbox's /usr. */
export async function hostRootEntries(): Promise<RootEntry[]> {
  const entries: RootEntry[] = [];
  for (const name of ROOT_ENTRY_NAMES) {
    const entryPath = `/${name}`;
    try {
      const stats = await lstat(entryPath);
      if (stats.isSymbolicLink()) entries.push({ kind: 'symlink', path: entryPath, target: await readlink(entryPath) });
      else if (stats.isDirectory()) entries.push({ kind: 'directory', path: entryPath });
    } catch {
      // absent on this host
    }
  }
  return entries;
}
