/**
 * The life of one sandbox process: spawn it in a process group of its own, feed its stdin, stream
 * its stdout (bounded), keep the start of its stderr for the log, and kill the whole sandbox at
 * the deadline, on request, or when it floods stdout. Every path ends with the process reaped and
 * its group killed; `exited` settles exactly once, after that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { INFO_FD, type SandboxCommand } from './sandboxCommand.ts';

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
  private initPid: number | undefined;
  private running = true;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(command: SandboxCommand, options: SandboxRunOptions) {
    this.child = spawn(command.file, command.args, {
      env: command.env,
      cwd: '/',
      // A new session and process group: the group can be killed as a whole.
      detached: true,
      stdio: command.reportsInitPid ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      ...(command.identity === undefined ? {} : { uid: command.identity.uid, gid: command.identity.gid }),
    });
    this.exited = new Promise((resolve) => this.watch(options, resolve));
    this.timers.push(setTimeout(() => this.terminate('deadline'), options.deadlineMs));
    this.feed(options.input);
    if (command.reportsInitPid) this.readInitPid(this.child.stdio[INFO_FD] as Readable);
  }

  /** Spawns `command` and starts its clock. */
  static start(command: SandboxCommand, options: SandboxRunOptions): SandboxProcess {
    return new SandboxProcess(command, options);
  }

  /** The spawned process (bwrap, or prlimit/python in development mode). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The host pid of the sandbox's pid 1 (the runner, under bubblewrap), once reported. */
  get sandboxInitPid(): number | undefined {
    return this.initPid;
  }

  /**
   * Kills the whole sandbox. With bubblewrap the runner is pid 1 of the sandbox's pid namespace:
   * killing it makes the kernel kill everything inside, and bwrap, its parent, reaps it and exits,
   * so no orphan is left for the host's init to reap. Before that pid is known, and if the
   * sandbox is slow to go, the whole process group is killed.
   */
  terminate(cause: TerminationCause): void {
    if (!this.running) return;
    this.cause ??= cause;
    if (this.initPid === undefined) killGroup(this.child.pid);
    else killProcess(this.initPid);
    this.timers.push(setTimeout(() => killGroup(this.child.pid), KILL_ESCALATION_MS));
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
    const stdin = this.child.stdin;
    if (stdin === null) return;
    // The sandbox may die before reading its request (EPIPE): its exit tells the story.
    stdin.on('error', () => undefined);
    stdin.end(input);
  }

  private keepStderr(chunk: Buffer): void {
    const room = STDERR_KEPT_BYTES - this.stderrBytes;
    if (room <= 0) return;
    const kept = chunk.subarray(0, room);
    this.stderrParts.push(kept);
    this.stderrBytes += kept.length;
  }

  /** bwrap writes `{"child-pid": N}` on --info-fd once the sandbox's pid 1 exists. */
  private readInitPid(info: Readable): void {
    let text = '';
    info.on('error', () => undefined);
    info.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(0, 4096);
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match?.[1] !== undefined) this.initPid = Number(match[1]);
    });
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
