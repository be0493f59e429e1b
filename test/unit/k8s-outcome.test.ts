/** How an execution ends, from the runner's records and what Kubernetes reports. */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { concludeExecution, judgeJob, parseTerminationMessage, type ExecutionFacts } from '../../src/executors/kubernetes/outcome.ts';

const facts = (overrides: Partial<ExecutionFacts>): ExecutionFacts => ({
  logRecord: undefined,
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
      const logRecord = { status: 'ok' as const, error: null, executionTimeMs: 3, outputBytes: 3 };
      expect(concludeExecution(facts({ logRecord, output: 'hi\n', job: 'gone', podDeleted: true }))).to.deep.equal({
        kind: 'result',
        result: { status: 'ok', output: 'hi\n', error: null, executionTimeMs: 3 },
      });
    });

    it('a log that lacks output its record counts: incomplete (502), never a partial result', () => {
      const logRecord = { status: 'ok' as const, error: null, executionTimeMs: 3, outputBytes: 12 };
      const conclusion = concludeExecution(facts({ logRecord, output: 'é\n' }));
      expect(conclusion.kind).to.equal('incomplete');
      const failure = (conclusion as { failure: ExecutionFailure }).failure;
      expect([failure.kind, failure.message]).to.deep.equal([
        'interrupted',
        "The program's output could not be read from the cluster: the sandbox log holds 3 of its 12 bytes",
      ]);
    });

    it('the same for a record from the termination message', () => {
      const message = '{"type": "result", "status": "ok", "error": null, "execution_time_ms": 2, "output_bytes": 100000}';
      const conclusion = concludeExecution(facts({ container: { kind: 'terminated', exitCode: 0, reason: 'Completed', message } }));
      expect(conclusion.kind).to.equal('incomplete');
      expect((conclusion as { failure: ExecutionFailure }).failure.message).to.equal(
        "The program's output could not be read from the cluster: the sandbox log holds 8 of its 100000 bytes",
      );
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

  describe('termination messages', () => {
    it('termination messages that are not records', () => {
      for (const message of ['', 'plain text', '[]', '{"status":"weird","error":null,"execution_time_ms":1}', '{"status":"ok","error":null}']) {
        expect(parseTerminationMessage(message), message).to.equal(undefined);
      }
    });
  });
});
