/** How an execution ends, from the runner's records and what Kubernetes reports. */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import {
  concludeExecution,
  describeBytes,
  judgeJob,
  memoryLimitError,
  parseTerminationMessage,
  timeoutError,
  type ExecutionFacts,
} from '../../src/executors/kubernetes/outcome.ts';

const facts = (overrides: Partial<ExecutionFacts>): ExecutionFacts => ({
  logResult: undefined,
  output: 'partial\n',
  container: { kind: 'terminated', exitCode: 0, reason: 'Completed', message: '' },
  podDeleted: false,
  job: 'complete',
  runMs: 1234,
  timeoutSeconds: 5,
  memoryBytes: 128 * 1024 * 1024,
  ...overrides,
});

describe('unit: execution outcome', () => {
  describe('judgeJob', () => {
    const condition = (type: string, reason?: string) => ({ status: { conditions: [{ type, status: 'True', reason }] } });
    it('reads each verdict', () => {
      expect(judgeJob(undefined)).to.equal('gone');
      expect(judgeJob({ metadata: { deletionTimestamp: new Date() } })).to.equal('gone');
      expect(judgeJob({})).to.equal('active');
      expect(judgeJob(condition('Complete'))).to.equal('complete');
      expect(judgeJob(condition('Failed', 'DeadlineExceeded'))).to.equal('deadline-exceeded');
      expect(judgeJob(condition('Failed', 'BackoffLimitExceeded'))).to.equal('failed');
      expect(judgeJob({ status: { conditions: [{ type: 'Failed', status: 'False' }] } })).to.equal('active');
    });
  });

  describe('concludeExecution', () => {
    it("the runner's record in the log wins over everything", () => {
      const logResult = { status: 'ok' as const, output: 'hi\n', error: null, executionTimeMs: 3 };
      expect(concludeExecution(facts({ logResult, job: 'gone', podDeleted: true }))).to.deep.equal({ kind: 'result', result: logResult });
    });

    it('then the termination message, with the output read from the log', () => {
      const message = '{"type": "result", "status": "timeout", "error": "TimeoutError: execution timed out after 5 seconds", "execution_time_ms": 5001.5, "output_bytes": 8}';
      expect(concludeExecution(facts({ container: { kind: 'terminated', exitCode: 0, reason: 'Completed', message } }))).to.deep.equal({
        kind: 'result',
        result: { status: 'timeout', output: 'partial\n', error: 'TimeoutError: execution timed out after 5 seconds', executionTimeMs: 5002 },
      });
    });

    it('OOMKilled without a record: status memory', () => {
      expect(concludeExecution(facts({ container: { kind: 'terminated', exitCode: 137, reason: 'OOMKilled', message: '' }, job: 'failed' }))).to.deep.equal({
        kind: 'result',
        result: { status: 'memory', output: 'partial\n', error: 'MemoryError: the program exceeded the memory limit of 128 MB', executionTimeMs: 1234 },
      });
    });

    it("the Job's DeadlineExceeded: status timeout after the requested timeout", () => {
      expect(concludeExecution(facts({ container: { kind: 'terminated', exitCode: 137, reason: 'Error', message: '' }, job: 'deadline-exceeded', podDeleted: true }))).to.deep.equal({
        kind: 'result',
        result: { status: 'timeout', output: 'partial\n', error: 'TimeoutError: execution timed out after 5 seconds', executionTimeMs: 5000 },
      });
    });

    it('the Job deleted: interrupted', () => {
      const conclusion = concludeExecution(facts({ container: { kind: 'running' }, job: 'gone', podDeleted: true }));
      expect(conclusion.kind).to.equal('failure');
      const failure = (conclusion as { failure: ExecutionFailure }).failure;
      expect([failure.kind, failure.message]).to.deep.equal(['interrupted', "The execution's Job was deleted before it finished"]);
    });

    it('only the pod deleted: interrupted, naming the pod', () => {
      const conclusion = concludeExecution(facts({ container: { kind: 'terminated', exitCode: 137, reason: 'Error', message: '' }, job: 'active', podDeleted: true }));
      const failure = (conclusion as { failure: ExecutionFailure }).failure;
      expect([failure.kind, failure.message]).to.deep.equal(['interrupted', "The execution's pod was deleted before it finished"]);
    });

    it('a runner that exited without a record: a crash, with its exit code', () => {
      expect(concludeExecution(facts({ container: { kind: 'terminated', exitCode: 2, reason: 'Error', message: 'not json' }, job: 'failed' }))).to.deep.equal({
        kind: 'crash',
        message: 'the sandbox ended without a result record (exit code 2, Error)',
      });
    });
  });

  describe('messages, worded as the runner words them', () => {
    it('memory and timeout', () => {
      expect(memoryLimitError(128 * 1024 * 1024)).to.equal('MemoryError: the program exceeded the memory limit of 128 MB');
      expect(memoryLimitError(96.5 * 1024 * 1024)).to.equal('MemoryError: the program exceeded the memory limit of 96.5 MB');
      expect(timeoutError(5)).to.equal('TimeoutError: execution timed out after 5 seconds');
      expect(timeoutError(1)).to.equal('TimeoutError: execution timed out after 1 second');
      expect(timeoutError(0.25)).to.equal('TimeoutError: execution timed out after 0.25 seconds');
    });

    it('sizes', () => {
      expect([describeBytes(1), describeBytes(100), describeBytes(1536), describeBytes(1024 * 1024)]).to.deep.equal(['1 byte', '100 bytes', '1.5 KB', '1 MB']);
    });

    it('termination messages that are not records', () => {
      for (const message of ['', 'plain text', '[]', '{"status":"weird","error":null,"execution_time_ms":1}', '{"status":"ok","error":null}']) {
        expect(parseTerminationMessage(message), message).to.equal(undefined);
      }
    });
  });
});
