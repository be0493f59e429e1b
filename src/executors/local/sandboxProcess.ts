/**
 * The life of one sandbox process: spawn it in a process group of its own, feed its stdin, stream
 * its stdout (bounded), keep the start of its stderr for the log, and kill the whole sandbox at
 * the deadline, on request, or when it floods stdout. Every path ends with the process reaped and
 * its group killed; `exited` settles exactly once, after that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SECCOMP_FD, STATUS_FD, type SandboxCommand } from './sandboxCommand.ts';

/** Why the service killed a sandbox. */
export type TerminationCause = 'deadline' | 'abort' | 'shutdown' | 'stdout_overflow';

/** How a sandbox process ended. */
export interface SandboxExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the service killed it (the first reason wins). */
  readonly cause: TerminationCause | undefined;
  /** Set when the process could not be started at all. */
  readonly spawnError: Error | undefined;
  /** The start of stderr (at most STDERR_KEPT_BYTES), for the service's log only. */
  readonly stderr: string;
  readonly stdoutBytes: number;
  readonly wallTimeMs: number;
}

/** What one sandbox run needs besides its command. */
export interface SandboxRunOptions {
  /** Written to stdin, which is then closed. */
  readonly input: string;
  /** Wall-clock budget from spawn to kill. */
  readonly deadlineMs: number;
  /** Beyond this many bytes on stdout the sandbox is killed ('stdout_overflow'). */
  readonly stdoutLimitBytes: number;
  /** A stdout line longer than this (to within one read) kills the sandbox too ('stdout_overflow'). */
  readonly stdoutLineLimitBytes: number;
  /** Receives stdout as text, in order (UTF-8 sequences are never split). */
  readonly onStdout: (text: string) => void;
}

const STDERR_KEPT_BYTES = 16 * 1024;
/** After a kill, how long the sandbox may take to go before its whole group is killed again. */
const KILL_ESCALATION_MS = 1000;
/** After exit, how long stdio may stay open (a leftover holding a pipe) before it is cut. */
const STDIO_DRAIN_MS = 2000;

/** One running sandbox. Create with SandboxProcess.start(). */
export class SandboxProcess {
  /** Settles once the process is gone and its output read; never rejects. */
  readonly exited: Promise<SandboxExit>;
  private readonly child: ChildProcess;
  private readonly startedAt = performance.now();
  private readonly stderrParts: Buffer[] = [];
  private stderrBytes = 0;
  private stdoutBytes = 0;
  private stdoutLineBytes = 0;
  /** Set once stdout went over a bound: nothing more of it is read. */
  private stdoutRefused = false;
  private cause: TerminationCause | undefined;
  private spawnError: Error | undefined;
  /** The host pid of the sandbox's pid 1, as bwrap reported it. */
  private initPid: number | undefined;
  /** bwrap reported that pid 1 exited: bwrap has reaped it, so its pid may belong to anyone now. */
  private initReaped = false;
  private running = true;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(command: SandboxCommand, options: SandboxRunOptions) {
    this.child = spawn(command.file, command.args, {
      env: command.env,
      cwd: '/',
      // A new session and process group: the group can be killed as a whole.
      detached: true,
      stdio: stdioOf(command),
      ...(command.identity === undefined ? {} : { uid: command.identity.uid, gid: command.identity.gid }),
    });
    this.exited = new Promise((resolve) => this.watch(options, resolve));
    this.timers.push(setTimeout(() => this.terminate('deadline'), options.deadlineMs));
    this.feed(options.input);
    if (command.reportsStatus) this.readStatus(this.child.stdio[STATUS_FD] as Readable);
    if (command.seccompFilter !== undefined) feedPipe(this.child.stdio[SECCOMP_FD] as Writable, command.seccompFilter);
  }

  /** Spawns `command` and starts its clock. */
  static start(command: SandboxCommand, options: SandboxRunOptions): SandboxProcess {
    return new SandboxProcess(command, options);
  }

  /** The spawned process (bwrap, or prlimit/python in development mode). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Kills the whole sandbox. With bubblewrap the runner is pid 1 of the sandbox's pid namespace:
   * killing it makes the kernel kill everything inside, and bwrap, its parent, reaps it and exits,
   * so no orphan is left for the host's init to reap. That pid is not our child, though: it is
   * only signalled while it is provably still bwrap's (see killableInitPid). Otherwise, and if the
   * sandbox is slow to go, the process group is killed: bwrap itself, whose death takes pid 1
   * with it (--die-with-parent).
   */
  terminate(cause: TerminationCause): void {
    if (!this.running) return;
    this.cause ??= cause;
    const initPid = this.killableInitPid();
    if (initPid === undefined) killGroup(this.child.pid);
    else killProcess(initPid);
    this.timers.push(
      setTimeout(() => {
        if (this.running) killGroup(this.child.pid);
      }, KILL_ESCALATION_MS),
    );
  }

  /**
   * The sandbox's pid 1, when signalling it cannot hit another process: bwrap has reported it,
   * has not reported reaping it, is itself not yet reaped (our child: its pid stays ours until
   * then), and /proc still shows pid 1 as bwrap's child. Once bwrap reaps it the pid is free for
   * reuse, so the last check runs just before the kill: what remains is the gap between two
   * system calls, and a pid is only reused after the kernel has cycled through every other one.
   */
  private killableInitPid(): number | undefined {
    const pid = this.initPid;
    if (pid === undefined || this.initReaped || !this.running) return undefined;
    return parentPidOf(pid) === this.child.pid ? pid : undefined;
  }

  private watch(options: SandboxRunOptions, resolve: (exit: SandboxExit) => void): void {
    const decoder = new StringDecoder('utf8');
    this.child.stdout?.on('data', (chunk: Buffer) => this.readStdout(chunk, options, decoder));
    this.child.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk));
    this.child.once('error', (error) => {
      this.spawnError = error;
      // A process that never started emits no 'exit'.
      if (this.child.pid === undefined) this.finish(null, null, resolve);
    });
    this.child.once('exit', () => this.onExit());
    this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      const rest = decoder.end();
      if (rest !== '' && !this.stdoutRefused) options.onStdout(rest);
      this.finish(code, signal, resolve);
    });
  }

  private readStdout(chunk: Buffer, options: SandboxRunOptions, decoder: StringDecoder): void {
    if (this.stdoutRefused) return;
    this.stdoutBytes += chunk.length;
    const newline = chunk.lastIndexOf(0x0a);
    this.stdoutLineBytes = newline < 0 ? this.stdoutLineBytes + chunk.length : chunk.length - newline - 1;
    if (this.stdoutBytes > options.stdoutLimitBytes || this.stdoutLineBytes > options.stdoutLineLimitBytes) {
      this.stdoutRefused = true;
      // Even when the process has already exited: what it left in the pipe is not to be trusted.
      this.cause ??= 'stdout_overflow';
      this.terminate('stdout_overflow');
    } else {
      options.onStdout(decoder.write(chunk));
    }
  }

  private onExit(): void {
    this.running = false;
    // Whatever may be left in the group (development mode has no pid namespace) goes too.
    killGroup(this.child.pid);
    const stdio = this.child.stdio.filter((stream) => stream !== null && stream !== undefined);
    this.timers.push(setTimeout(() => stdio.forEach((stream) => stream.destroy()), STDIO_DRAIN_MS));
  }

  private finish(exitCode: number | null, signal: NodeJS.Signals | null, resolve: (exit: SandboxExit) => void): void {
    this.running = false;
    this.timers.forEach(clearTimeout);
    resolve({
      exitCode,
      signal,
      cause: this.cause,
      spawnError: this.spawnError,
      stderr: Buffer.concat(this.stderrParts).toString('utf8'),
      stdoutBytes: this.stdoutBytes,
      wallTimeMs: Math.round(performance.now() - this.startedAt),
    });
  }

  private feed(input: string): void {
    if (this.child.stdin !== null) feedPipe(this.child.stdin, input);
  }

  private keepStderr(chunk: Buffer): void {
    const room = STDERR_KEPT_BYTES - this.stderrBytes;
    if (room <= 0) return;
    const kept = chunk.subarray(0, room);
    this.stderrParts.push(kept);
    this.stderrBytes += kept.length;
  }

  /**
   * bwrap writes `{ "child-pid": N, ... }` on --json-status-fd once the sandbox's pid 1 exists, and
   * `{ "exit-code": N }` once it has reaped it.
   */
  private readStatus(status: Readable): void {
    let text = '';
    status.on('error', () => undefined);
    status.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(0, 4096);
      const child = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (child?.[1] !== undefined) this.initPid = Number(child[1]);
      if (/"exit-code"\s*:/.test(text)) this.initReaped = true;
    });
  }
}

/** stdin, stdout, stderr; then bubblewrap's status pipe (fd 3) and seccomp pipe (fd 4) when used. */
function stdioOf(command: SandboxCommand): 'pipe'[] {
  if (command.seccompFilter !== undefined) return ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'];
  return command.reportsStatus ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'];
}

/** Writes everything and closes the pipe. The sandbox may die before reading it (EPIPE): its exit tells the story. */
function feedPipe(pipe: Writable, data: string | Buffer): void {
  pipe.on('error', () => undefined);
  pipe.end(data);
}

/** The parent pid of `pid` from /proc/<pid>/stat, or undefined when it is gone. */
function parentPidOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** SIGKILL to a process group; a group that is already gone is fine. */
function killGroup(pid: number | undefined): void {
  if (pid !== undefined) killProcess(-pid);
}

/** SIGKILL, ignoring ESRCH (already gone): the only failure possible for our own children. */
function killProcess(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // ESRCH: nothing left to kill.
  }
}
