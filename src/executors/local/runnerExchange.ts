/**
 * What the local executor says to the runner and how it reads the answer
 * (docs/runner-protocol.md): the request on stdin, JSON Lines on stdout, and what a sandbox that
 * ended without a result record means.
 */
import type { Settings } from '../../config/settings.ts';
import { ExecutionFailure, SHUTDOWN_INTERRUPTION, timeoutErrorLine } from '../../execution/errors.ts';
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
 * The execution's result from how the sandbox ended and what the runner said.
 * @throws ExecutionFailure 'aborted' (the client left), 'interrupted' (shutdown), or
 *   'unavailable' when the sandbox ended without a result record (see the ADR: from the client's
 *   side the service could not run the program; the cause goes to the log, never to the client).
 */
export function executionOutcome(exit: SandboxExit, parser: RunnerOutputParser, request: ExecutionRequest): ExecutionResult {
  if (exit.cause === 'abort') throw new ExecutionFailure('aborted', 'the client went away; the execution was stopped');
  if (exit.cause === 'shutdown') throw new ExecutionFailure('interrupted', SHUTDOWN_INTERRUPTION);
  const result = exit.cause === 'stdout_overflow' ? undefined : parser.toExecutionResult();
  if (result !== undefined) return result;
  if (exit.cause === 'deadline') {
    // The runner did not stop the program itself: our wall clock did, a timeout all the same.
    return {
      status: 'timeout',
      output: parser.output,
      error: timeoutErrorLine(request.timeoutSeconds),
      executionTimeMs: Math.round(request.timeoutSeconds * 1000),
    };
  }
  throw new ExecutionFailure('unavailable', 'the sandbox ended without a result; see the service log', { cause: describeExit(exit) });
}

/** A one-line account of how the sandbox ended, for the log. */
export function describeExit(exit: SandboxExit): string {
  if (exit.spawnError !== undefined) return `could not start: ${exit.spawnError.message}`;
  if (exit.cause === 'stdout_overflow') return `wrote more than the stdout bound (${exit.stdoutBytes} bytes)`;
  return exit.signal === null ? `exited with code ${String(exit.exitCode)}` : `killed by ${exit.signal}`;
}
