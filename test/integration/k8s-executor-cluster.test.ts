/**
 * The Kubernetes executor when the cluster, not the runner, decides: OOMKilled, the Job's
 * DeadlineExceeded, a result only in the termination message, a runner crash, pods that cannot
 * start (image, scheduler, quota), and faults of the API (log cut, 400 while creating, dropped
 * and expired watches). Each asserts the exact result and what the fake holds afterwards.
 */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { maxRunnerStreamBytes } from '../../src/execution/runnerProtocol.ts';
import { OUTCOME_LABEL } from '../../src/executors/kubernetes/labels.ts';
import { scenario, type KubeObject, type Scenario } from '../support/fake-kube-api/index.ts';
import { NAMESPACE, rejectionOf, startFakeKubernetes, type FakeKubernetes } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';

const never = new AbortController().signal;
const record = (value: object): string => `${JSON.stringify(value)}\n`;

describe('integration: Kubernetes executor, outcomes decided by the cluster (fake API server)', function () {
  this.timeout(20_000);
  let k: FakeKubernetes;

  /** Starts a fake whose every Job plays `play`, with extra settings. */
  async function start(play: Scenario, env: Record<string, string> = {}): Promise<void> {
    k = await startFakeKubernetes({ env, prepare: (api) => (api.scenarioFor = () => play) });
  }

  afterEach(async () => {
    await k?.close();
  });

  /** The execution's Job was deleted (Background) and nothing of it remains. */
  async function expectCleanedUp(id: string): Promise<void> {
    await waitFor(() => k.api.pods(NAMESPACE).length === 0, 5000, 'the pods to go');
    expect(k.api.jobs(NAMESPACE)).to.deep.equal([]);
    expect(k.api.deletions).to.deep.include({ name: id, propagationPolicy: 'Background' });
  }

  function outcomeOf(id: string): string | undefined {
    return k.api.jobs(NAMESPACE).find((job: KubeObject) => job.metadata.name === id)?.metadata.labels?.[OUTCOME_LABEL];
  }

  describe('what Kubernetes reports', () => {
    it('OOMKilled: status memory with the memory error and the output so far', async () => {
      await start(scenario({ container: { kind: 'oom', log: record({ type: 'output', data: 'allocating\n' }), afterMs: 50 } }));
      const request = k.request('x = [0] * 10**9');
      const result = await k.executor.run(request, never);
      expect(result).to.deep.include({ status: 'memory', output: 'allocating\n', error: 'MemoryError: the program exceeded the memory limit of 128 MB' });
      await waitFor(() => outcomeOf(request.id) === 'memory', 5000, 'outcome memory');
    });

    it("the Job's DeadlineExceeded: status timeout with the output so far", async () => {
      // activeDeadlineSeconds = ceil(1) + 1 = 2 s; the container ignores it until the controller deletes the pod.
      await start(scenario({ container: { kind: 'hang', log: record({ type: 'output', data: 'started\n' }) } }), { K8S_STARTUP_ALLOWANCE_SECONDS: '1' });
      const request = k.request('while True: pass', { timeoutSeconds: 1 });
      const began = Date.now();
      const result = await k.executor.run(request, never);
      expect(Date.now() - began).to.be.at.least(2000);
      expect(result).to.deep.equal({ status: 'timeout', output: 'started\n', error: 'TimeoutError: execution timed out after 1 second', executionTimeMs: 1000, details: result.details });
      expect(result.details?.pod_wait_ms).to.be.a('number');
      // The failed Job stays for inspection, labelled timeout; its pod was removed by the deadline.
      await waitFor(() => outcomeOf(request.id) === 'timeout', 5000, 'outcome timeout');
      const job = k.api.jobs(NAMESPACE)[0] as KubeObject;
      expect((job.status as { conditions: { reason: string }[] }).conditions[0]?.reason).to.equal('DeadlineExceeded');
    });

    it('a result only in the termination message (the log lost its last record)', async () => {
      const message = JSON.stringify({ type: 'result', status: 'error', error: 'ValueError: bad', execution_time_ms: 7, output_bytes: 6 });
      await start(scenario({ container: { kind: 'canned', log: record({ type: 'output', data: 'hello\n' }), message, exitCode: 0 } }));
      const result = await k.executor.run(k.request('raise ValueError("bad")'), never);
      expect(result).to.deep.include({ status: 'error', output: 'hello\n', error: 'ValueError: bad', executionTimeMs: 7 });
    });

    it('a log beyond its bound (a runner gone wrong): 502 naming the output it lacks, never a partial result; the Job kept', async () => {
      // 80 full records of 16 Ki characters: 1.25 MiB, more than the bound for a 1 KiB output limit.
      const line = record({ type: 'output', data: 'x'.repeat(16384) });
      const message = JSON.stringify({ type: 'result', status: 'ok', error: null, execution_time_ms: 5, output_bytes: 80 * 16384 });
      await start(scenario({ container: { kind: 'canned', log: line.repeat(80), message, exitCode: 0 } }), { OUTPUT_LIMIT_BYTES: '1024' });
      const bound = maxRunnerStreamBytes(1024);
      expect(line.length * 80).to.be.above(bound);
      const request = k.request('print("x" * 16384 * 80)');
      const error = await rejectionOf(k.executor.run(request, never));
      const read = Math.floor(bound / line.length) * 16384;
      expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({
        kind: 'interrupted',
        message: `The program's output could not be read from the cluster: the sandbox log holds ${read} of its ${80 * 16384} bytes`,
      });
      expect(k.api.jobs(NAMESPACE).map((job) => job.metadata.name)).to.deep.equal([request.id]);
      expect(k.api.deletions).to.deep.equal([]);
    });

    it('a log that lost output the termination message counts: 502, not a partial result', async () => {
      const message = JSON.stringify({ type: 'result', status: 'ok', error: null, execution_time_ms: 5, output_bytes: 12 });
      await start(scenario({ container: { kind: 'canned', log: record({ type: 'output', data: 'hello\n' }), message, exitCode: 0 } }));
      const error = await rejectionOf(k.executor.run(k.request('print("hello")\nprint("world")'), never));
      expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({
        kind: 'interrupted',
        message: "The program's output could not be read from the cluster: the sandbox log holds 6 of its 12 bytes",
      });
    });

    it('a runner that crashes without a result: an internal error, the Job kept for inspection', async () => {
      await start(scenario({ container: { kind: 'crash', log: 'Traceback (most recent call last):\nSystemError: boom\n' } }));
      const request = k.request('print(1)');
      const error = await rejectionOf(k.executor.run(request, never));
      expect(error).to.not.be.instanceOf(ExecutionFailure);
      expect(error.message).to.equal('the sandbox ended without a result record (exit code 1, Error)');
      expect(k.api.jobs(NAMESPACE).map((job) => job.metadata.name)).to.deep.equal([request.id]);
      expect(k.api.deletions).to.deep.equal([]);
    });
  });

  describe('pods that cannot start: 503 naming the cause, and the Job deleted', () => {
    it('an image that cannot be pulled (ErrImageNeverPull) fails at once', async () => {
      const message = 'Container image "fake.local/learnflow-runner:test" is not present with pull policy of Never';
      await start(scenario({ start: { kind: 'image', reason: 'ErrImageNeverPull', message } }));
      const request = k.request('print(1)');
      const error = await rejectionOf(k.executor.run(request, never));
      expect(error).to.be.instanceOf(ExecutionFailure);
      expect((error as ExecutionFailure).kind).to.equal('unavailable');
      expect(error.message).to.equal(`The sandbox image fake.local/learnflow-runner:test cannot be pulled (ErrImageNeverPull: ${message})`);
      await expectCleanedUp(request.id);
    });

    it('ImagePullBackOff fails the same way', async () => {
      await start(scenario({ start: { kind: 'image', reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } }));
      const error = await rejectionOf(k.executor.run(k.request('print(1)'), never));
      expect(error.message).to.equal('The sandbox image fake.local/learnflow-runner:test cannot be pulled (ImagePullBackOff: Back-off pulling image "x")');
    });

    it('an unschedulable pod fails when the start-up allowance is over', async () => {
      const message = '0/1 nodes are available: 1 Insufficient cpu.';
      await start(scenario({ start: { kind: 'unschedulable', message } }), { K8S_STARTUP_ALLOWANCE_SECONDS: '1' });
      const request = k.request('print(1)');
      const began = Date.now();
      const error = await rejectionOf(k.executor.run(request, never));
      expect(Date.now() - began).to.be.at.least(1000);
      expect((error as ExecutionFailure).kind).to.equal('unavailable');
      expect(error.message).to.equal(`The sandbox pod did not start within 1 second: the sandbox pod cannot be scheduled: ${message}`);
      await expectCleanedUp(request.id);
    });

    it('a quota that refuses the pod (FailedCreate events, no pod) fails when the allowance is over', async () => {
      const quota = 'exceeded quota: sandbox-quota, requested: pods=1, used: pods=10, limited: pods=10';
      await start(scenario({ start: { kind: 'no-pod', message: quota } }), { K8S_STARTUP_ALLOWANCE_SECONDS: '1' });
      const request = k.request('print(1)');
      const error = await rejectionOf(k.executor.run(request, never));
      expect((error as ExecutionFailure).kind).to.equal('unavailable');
      expect(error.message).to.match(
        new RegExp(`^The sandbox pod did not start within 1 second: the Job cannot create its pod \\(Error creating: pods "${request.id}-[0-9a-f]{5}" is forbidden: ${quota}\\)$`),
      );
      await expectCleanedUp(request.id);
    });

    it('a Job refused at creation (quota on Jobs): 503 with the API server message, nothing left', async () => {
      await start(scenario({}));
      k.api.rejectJob = (job) => ({ code: 403, reason: 'Forbidden', message: `jobs.batch "${job.metadata.name}" is forbidden: exceeded quota: jobs` });
      const request = k.request('print(1)');
      const error = await rejectionOf(k.executor.run(request, never));
      expect((error as ExecutionFailure).kind).to.equal('unavailable');
      expect(error.message).to.equal(`Cannot create the sandbox Job: jobs.batch "${request.id}" is forbidden: exceeded quota: jobs`);
      expect(k.api.jobs(NAMESPACE)).to.deep.equal([]);
    });
  });

  describe('faults of the API', () => {
    const manyLines = 'for i in range(200):\n    print(f"line {i:03d}")';
    const manyLinesOutput = Array.from({ length: 200 }, (_v, i) => `line ${String(i).padStart(3, '0')}\n`).join('');

    it('a log stream cut mid-way: the whole log is read again, the output is exact', async () => {
      await start(scenario({ faults: { cutFollowAfterBytes: 100 } }));
      const result = await k.executor.run(k.request(manyLines), never);
      expect(result).to.deep.include({ status: 'ok', output: manyLinesOutput, error: null });
      const logReads = k.api.requests.filter((r) => r.resource === 'pods/log');
      expect(logReads.some((r) => r.query.follow === 'true')).to.equal(true);
      expect(logReads.some((r) => r.query.follow !== 'true')).to.equal(true);
    });

    it('a follow answered 400 while the container is being created is retried', async () => {
      await start(scenario({ creatingMs: 300 }));
      const result = await k.executor.run(k.request("print('after the wait')"), never);
      expect(result).to.deep.include({ status: 'ok', output: 'after the wait\n', error: null });
      const follows = k.api.requests.filter((r) => r.resource === 'pods/log' && r.query.follow === 'true');
      expect(follows.length).to.be.at.least(2);
    });

    it('a watch that drops every event of the pod: the re-list finds the state', async () => {
      await start(scenario({ faults: { dropPodEvents: true } }));
      const result = await k.executor.run(k.request(manyLines), never);
      expect(result).to.deep.include({ status: 'ok', output: manyLinesOutput, error: null });
      expect(k.api.requests.filter((r) => r.resource === 'pods' && r.verb === 'list').length).to.be.at.least(2);
    });

    it('a watch answered 410 Gone: re-list and watch again', async () => {
      await start(scenario({ faults: { watchGoneOnce: true } }));
      const result = await k.executor.run(k.request("print('relisted')"), never);
      expect(result).to.deep.include({ status: 'ok', output: 'relisted\n', error: null });
      expect(k.api.requests.filter((r) => r.resource === 'pods' && r.verb === 'watch').length).to.be.at.least(2);
    });

    it('passing API errors (the first pod list and Job read fail with 500): the execution still ends right', async () => {
      await start(scenario({ container: { kind: 'hang', log: '' }, faults: { deletePodAfterMs: 100 } }));
      const failed = new Set<string>();
      k.api.failRequest = (request) => {
        const call = `${request.verb} ${request.resource}`;
        if ((call === 'list pods' || call === 'get jobs') && !failed.has(call)) {
          failed.add(call);
          return { code: 500, message: 'etcdserver: leader changed' };
        }
        return undefined;
      };
      const error = await rejectionOf(k.executor.run(k.request('while True: pass'), never));
      expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({
        kind: 'interrupted',
        message: "The execution's pod was deleted before it finished",
      });
      expect([...failed].sort()).to.deep.equal(['get jobs', 'list pods']);
    });

    it('a deadline condition written late (pods deleted first, as Kubernetes 1.20 does) still reads as a timeout', async () => {
      const play = scenario({ container: { kind: 'hang', log: '' }, faults: { deadlineConditionDelayMs: 600 } });
      await start(play, { K8S_STARTUP_ALLOWANCE_SECONDS: '1' });
      const result = await k.executor.run(k.request('while True: pass', { timeoutSeconds: 0.5 }), never);
      expect(result).to.deep.include({ status: 'timeout', output: '', error: 'TimeoutError: execution timed out after 0.5 seconds' });
    });
  });
});
