/**
 * What the local executor says to the runner and how it reads the answer
 * (docs/runner-protocol.md): the request on stdin, JSON Lines on stdout, and what a sandbox that
 * ended without a result record means.
 */
import type { Settings } from '../../config/settings.ts';
import { ExecutionFailure, formatSeconds } from '../../execution/errors.ts';
import type { RunnerOutputParser } from '../../execution/runnerProtocol.ts';
import type { ExecutionRequest, ExecutionResult } from '../../execution/types.ts';
import type { SandboxExit } from './sandboxProcess.ts';

/** The request the runner reads from stdin. */
export function encodeRunnerRequest(request: ExecutionRequest, settings: Pick<Settings, 'memoryLimitBytes' | 'outputLimitBytes'>): string {
  return JSON.stringify({
    code: request.code,
    stdin: request.stdin,
    timeout_seconds: request.timeoutSeconds,
    memory_bytes: settings.memoryLimitBytes,
    output_bytes: settings.outputLimitBytes,
  });
}

/**
 * The most stdout the service reads from one runner. The runner keeps at most `outputLimitBytes`
 * of program output, but frames it in one record per read of the program's pipe: a program that
 * flushes one control character at a time costs `{"type": "output", "data": "\u0001"}` (37 bytes)
 * per byte. Beyond that worst case the runner has gone wrong (or been subverted).
 */
export function runnerStdoutLimitBytes(settings: Pick<Settings, 'outputLimitBytes'>): number {
  return settings.outputLimitBytes * 40 + 1024 * 1024;
}

/**
 * The longest stdout line the service accepts: a record holds at most 16 Ki characters of output
 * (at most 6 bytes each, escaped) or a 4000-character error line, far below this. A longer line
 * would only make the parser buffer and re-scan it.
 */
export const RUNNER_LINE_LIMIT_BYTES = 1024 * 1024;

/**
 * The execution's result from how the sandbox ended and what the runner said.
 * @throws ExecutionFailure 'aborted' (the client left), 'interrupted' (shutdown), or
 *   'unavailable' when the sandbox ended without a result record (see the ADR: from the client's
 *   side the service could not run the program; the cause goes to the log, never to the client).
 */
export function executionOutcome(exit: SandboxExit, parser: RunnerOutputParser, request: ExecutionRequest): ExecutionResult {
  if (exit.cause === 'abort') throw new ExecutionFailure('aborted', 'the client went away; the execution was stopped');
  if (exit.cause === 'shutdown') throw new ExecutionFailure('interrupted', 'the service is shutting down; the execution was stopped');
  const result = exit.cause === 'stdout_overflow' ? undefined : parser.toExecutionResult();
  if (result !== undefined) return result;
  if (exit.cause === 'deadline') {
    // The runner did not stop the program itself: our wall clock did, a timeout all the same.
    return {
      status: 'timeout',
      output: parser.output,
      error: timeoutError(request.timeoutSeconds),
      executionTimeMs: Math.round(request.timeoutSeconds * 1000),
    };
  }
  throw new ExecutionFailure('unavailable', 'the sandbox ended without a result; see the service log', { cause: describeExit(exit) });
}

/** The runner's own timeout line (`TimeoutError: execution timed out after 1 second`), word for word. */
function timeoutError(seconds: number): string {
  const text = formatSeconds(seconds);
  return `TimeoutError: execution timed out after ${text} ${text === '1' ? 'second' : 'seconds'}`;
}

/** A one-line account of how the sandbox ended, for the log. */
export function describeExit(exit: SandboxExit): string {
  if (exit.spawnError !== undefined) return `could not start: ${exit.spawnError.message}`;
  if (exit.cause === 'stdout_overflow') return `wrote more than the stdout bound (${exit.stdoutBytes} bytes)`;
  return exit.signal === null ? `exited with code ${String(exit.exitCode)}` : `killed by ${exit.signal}`;
}
