import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { RunnerOutputParser } from '../../src/execution/runnerProtocol.ts';
import type { ExecutionRequest } from '../../src/execution/types.ts';
import { describeExit, encodeRunnerRequest, executionOutcome } from '../../src/executors/local/runnerExchange.ts';
import type { SandboxExit } from '../../src/executors/local/sandboxProcess.ts';

const request: ExecutionRequest = { id: 'exec-1', name: 'test', code: 'print(1)', stdin: 'x\n', timeoutSeconds: 2.5 };

const normalExit: SandboxExit = {
  exitCode: 0,
  signal: null,
  cause: undefined,
  spawnError: undefined,
  stderr: '',
  stdoutBytes: 100,
  wallTimeMs: 30,
};

function parsed(...lines: string[]): RunnerOutputParser {
  const parser = new RunnerOutputParser();
  parser.push(lines.map((line) => `${line}\n`).join(''));
  parser.end();
  return parser;
}

const output = '{"type": "output", "data": "partial\\n"}';
const result = '{"type": "result", "status": "ok", "error": null, "execution_time_ms": 3, "output_bytes": 8}';

function failureOf(action: () => unknown): ExecutionFailure {
  try {
    action();
  } catch (error) {
    if (error instanceof ExecutionFailure) return error;
    throw error;
  }
  throw new Error('expected an ExecutionFailure');
}

describe('local runner exchange', () => {
  it('sends the runner the request of docs/runner-protocol.md', () => {
    const sent = encodeRunnerRequest(request, { memoryLimitBytes: 134217728, outputLimitBytes: 1048576 });
    expect(JSON.parse(sent)).to.deep.equal({
      code: 'print(1)',
      stdin: 'x\n',
      timeout_seconds: 2.5,
      memory_bytes: 134217728,
      output_bytes: 1048576,
    });
  });

  it("returns the runner's result", () => {
    expect(executionOutcome(normalExit, parsed(output, result), request)).to.deep.equal({
      status: 'ok',
      output: 'partial\n',
      error: null,
      executionTimeMs: 3,
    });
  });

  it('keeps a result that arrived before the wall clock ran out', () => {
    const exit: SandboxExit = { ...normalExit, exitCode: 137, cause: 'deadline' };
    expect(executionOutcome(exit, parsed(output, result), request).status).to.equal('ok');
  });

  it('turns a sandbox killed by the wall clock into a timeout with the output so far', () => {
    const exit: SandboxExit = { ...normalExit, exitCode: 137, cause: 'deadline' };
    expect(executionOutcome(exit, parsed(output), request)).to.deep.equal({
      status: 'timeout',
      output: 'partial\n',
      error: 'TimeoutError: execution timed out after 2.5 seconds',
      executionTimeMs: 2500,
    });
  });

  it('words a backstop timeout of one second as the runner does', () => {
    const exit: SandboxExit = { ...normalExit, exitCode: 137, cause: 'deadline' };
    expect(executionOutcome(exit, parsed(), { ...request, timeoutSeconds: 1 }).error).to.equal('TimeoutError: execution timed out after 1 second');
  });

  it('reports an abort as aborted, even when a result came in', () => {
    const failure = failureOf(() => executionOutcome({ ...normalExit, cause: 'abort' }, parsed(output, result), request));
    expect(failure.kind).to.equal('aborted');
  });

  it('reports a shutdown as interrupted', () => {
    const failure = failureOf(() => executionOutcome({ ...normalExit, exitCode: 137, cause: 'shutdown' }, parsed(output), request));
    expect(failure.kind).to.equal('interrupted');
    expect(failure.message).to.equal('The service is shutting down; the execution was stopped');
  });

  it('reports a runner that ended without a result as unavailable, without its stderr', () => {
    const exit: SandboxExit = { ...normalExit, exitCode: 1, stderr: 'Traceback (most recent call last):\n  File "/runner/runner.py"' };
    const failure = failureOf(() => executionOutcome(exit, parsed('Traceback (most recent call last):'), request));
    expect(failure.kind).to.equal('unavailable');
    expect(failure.message).to.equal('the sandbox ended without a result; see the service log');
    expect(failure.cause).to.equal('exited with code 1');
  });

  it('distrusts everything from a runner that flooded stdout', () => {
    const exit: SandboxExit = { ...normalExit, exitCode: 137, cause: 'stdout_overflow', stdoutBytes: 9437185 };
    const failure = failureOf(() => executionOutcome(exit, parsed(output, result), request));
    expect(failure.kind).to.equal('unavailable');
    expect(failure.cause).to.equal('wrote more than the stdout bound (9437185 bytes)');
  });

  it('describes how a sandbox ended', () => {
    expect(describeExit({ ...normalExit, exitCode: null, signal: 'SIGKILL' })).to.equal('killed by SIGKILL');
    expect(describeExit({ ...normalExit, exitCode: null, spawnError: new Error('spawn /nope ENOENT') })).to.equal(
      'could not start: spawn /nope ENOENT',
    );
  });
});
