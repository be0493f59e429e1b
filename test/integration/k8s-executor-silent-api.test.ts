/**
 * A silent API server: one that accepts a request and never answers it (or answers too late).
 * Every API call of the executor is bounded by its per-call timeout (here 500 ms), so a run ends
 * with a clear 5xx within its bounds, close() ends, and a Job created after the executor gave up
 * is deleted all the same. Against the fake API server with the real client.
 */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { EXECUTION_ID_LABEL } from '../../src/executors/kubernetes/labels.ts';
import { scenario, type RecordedRequest } from '../support/fake-kube-api/index.ts';
import { NAMESPACE, rejectionOf, startFakeKubernetes, type FakeKubernetes, type FakeKubernetesOptions } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';

const never = new AbortController().signal;
const API_TIMEOUT_MS = 500;
const SILENCE = 'the Kubernetes API server did not answer within 0.5 seconds';
/** Far beyond every bound involved here, far below the minutes an unbounded call takes (undici: 300 s). */
const BOUND_MS = 8000;
const hang = scenario({ container: { kind: 'hang', log: `${JSON.stringify({ type: 'output', data: 'working\n' })}\n` } });

const call = (request: RecordedRequest): string => `${request.verb} ${request.resource}`;

describe('integration: Kubernetes executor against a silent API server (fake API server)', function () {
  this.timeout(20_000);
  let k: FakeKubernetes;
  let logLines: string[];

  async function start(options: FakeKubernetesOptions = {}): Promise<void> {
    logLines = [];
    k = await startFakeKubernetes({ apiTimeoutMs: API_TIMEOUT_MS, logLines, ...options });
  }

  afterEach(async () => {
    if (k !== undefined) k.api.stall = undefined;
    await k?.close();
  });

  function messages(): string[] {
    return logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }

  function expectFailure(error: Error, kind: ExecutionFailure['kind'], message: string): void {
    expect(error).to.be.instanceOf(ExecutionFailure);
    expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({ kind, message });
  }

  async function running(id: string): Promise<void> {
    await waitFor(
      () => k.api.pods(NAMESPACE).some((pod) => pod.metadata.labels?.[EXECUTION_ID_LABEL] === id && (pod.status as { phase?: string }).phase === 'Running'),
      5000,
      'the container to run',
    );
  }

  it('a create carried out but never answered: 503 after the per-call timeout, the Job deleted', async () => {
    await start();
    k.api.stall = (request) => (call(request) === 'create jobs' ? 'hold' : undefined);
    const request = k.request('print(1)');
    const began = Date.now();
    const error = await rejectionOf(k.executor.run(request, never));
    expect(Date.now() - began).to.be.below(BOUND_MS);
    expectFailure(error, 'unavailable', `Cannot create the sandbox Job: ${SILENCE}`);
    await waitFor(() => k.api.pods(NAMESPACE).length === 0, 5000, 'the pods to go');
    expect(k.api.jobs(NAMESPACE)).to.deep.equal([]);
    expect(k.api.deletions).to.deep.equal([{ name: request.id, propagationPolicy: 'Background' }]);
  });

  it('a create carried out after the executor gave up: the next sweep deletes that Job', async () => {
    await start({ sweepIntervalMs: 200 });
    k.api.stall = (request) => (call(request) === 'create jobs' ? { delayMs: 1500 } : undefined);
    const request = k.request('print(1)');
    const error = await rejectionOf(k.executor.run(request, never));
    expectFailure(error, 'unavailable', `Cannot create the sandbox Job: ${SILENCE}`);
    expect(k.api.jobs(NAMESPACE)).to.deep.equal([]); // not yet created: the delete found nothing
    await waitFor(() => k.api.deletions.some((d) => d.name === request.id), 5000, 'the sweep to delete the late Job');
    await waitFor(() => k.api.jobs(NAMESPACE).length === 0 && k.api.pods(NAMESPACE).length === 0, 5000, 'nothing left');
    expect(k.api.requests.filter((r) => call(r) === 'create jobs')).to.have.length(1);
  });

  it('pod lists and watches never answered: 503 once the start-up allowance is over, naming the silence; the Job deleted', async () => {
    await start({ env: { K8S_STARTUP_ALLOWANCE_SECONDS: '1' } });
    k.api.stall = (request) => (request.resource === 'pods' ? 'drop' : undefined);
    const request = k.request('print(1)');
    const began = Date.now();
    const error = await rejectionOf(k.executor.run(request, never));
    expect(Date.now() - began).to.be.below(BOUND_MS);
    expectFailure(error, 'unavailable', `The sandbox pod did not start within 1 second: its pod cannot be listed (${SILENCE})`);
    expect(k.api.deletions).to.deep.equal([{ name: request.id, propagationPolicy: 'Background' }]);
    await waitFor(() => k.api.jobs(NAMESPACE).length === 0, 5000, 'the Job to go');
  });

  it('a log follow that never answers: the whole log is read at the end, the result is exact', async () => {
    await start();
    k.api.stall = (request) => (request.resource === 'pods/log' && request.query.follow === 'true' ? 'drop' : undefined);
    const result = await k.executor.run(k.request('print("one")\nprint("two")'), never);
    expect(result).to.deep.include({ status: 'ok', output: 'one\ntwo\n', error: null });
  });

  it('a log stream kept open after the container ended: given up after the drain time, the result is exact', async () => {
    await start({ prepare: (api) => (api.scenarioFor = () => scenario({ faults: { keepLogOpen: true } })) });
    const began = Date.now();
    const result = await k.executor.run(k.request('print("done")'), never);
    expect(Date.now() - began).to.be.below(BOUND_MS);
    expect(result).to.deep.include({ status: 'ok', output: 'done\n', error: null });
  });

  it('a delete never answered: the aborted run ends within its bound, the next sweep deletes the Job', async () => {
    await start({ sweepIntervalMs: 200, prepare: (api) => (api.scenarioFor = () => hang) });
    const request = k.request('while True: pass');
    const client = new AbortController();
    const run = k.executor.run(request, client.signal);
    await running(request.id);
    k.api.stall = (r) => (call(r) === 'delete jobs' || call(r) === 'list jobs' ? 'drop' : undefined);
    const abortedAt = Date.now();
    client.abort();
    expectFailure(await rejectionOf(run), 'aborted', 'The client went away');
    expect(Date.now() - abortedAt).to.be.below(BOUND_MS);
    expect(messages()).to.include(`cannot delete the sandbox Job; the next sweep tries again: ${SILENCE}`);
    expect(k.api.jobs(NAMESPACE).map((job) => job.metadata.name)).to.deep.equal([request.id]);
    k.api.stall = undefined; // the API server is back
    await waitFor(() => k.api.jobs(NAMESPACE).length === 0, 5000, 'the sweep to delete the Job');
    expect(k.api.deletions).to.deep.equal([{ name: request.id, propagationPolicy: 'Background' }]);
  });

  it('close() while the API server is silent: the runs are interrupted and close() ends within its bound', async () => {
    await start({ prepare: (api) => (api.scenarioFor = () => hang) });
    const requests = [k.request('while True: pass'), k.request('while True: pass')];
    const runs = requests.map((request) => rejectionOf(k.executor.run(request, never)));
    for (const request of requests) await running(request.id);
    k.api.stall = () => 'drop';
    const closingAt = Date.now();
    await k.executor.close();
    expect(Date.now() - closingAt).to.be.below(BOUND_MS);
    for (const run of runs) expectFailure(await run, 'interrupted', 'The service is shutting down; the execution was stopped');
    expect(messages().filter((m) => m.startsWith('cannot delete the sandbox Job'))).to.have.length(2);
  });

  it('a silent preflight: until start() ends, readiness says "starting" and run() refuses; then not ready, naming the silence', async () => {
    await start({ start: false });
    k.api.stall = (request) => (call(request) === 'list networkpolicies' ? { delayMs: 2000 } : undefined);
    const starting = k.executor.start();
    expect(await k.executor.readiness()).to.deep.equal({ ready: false, reason: 'the Kubernetes executor is starting' });
    expectFailure(await rejectionOf(k.executor.run(k.request('print(1)'), never)), 'unavailable', 'The Kubernetes executor is starting');
    await starting;
    const readiness = await k.executor.readiness();
    expect(readiness).to.deep.include({ ready: false, reason: `cannot list NetworkPolicies in namespace ${NAMESPACE}: ${SILENCE}` });
    expect(k.api.requests.filter((r) => call(r) === 'create jobs')).to.deep.equal([]);
  });

  it('close() during a silent start-up ends it at once', async () => {
    await start({ start: false, apiTimeoutMs: 10_000 });
    k.api.stall = () => 'drop';
    const starting = k.executor.start();
    await waitFor(() => k.api.requests.length > 0, 5000, 'the preflight to begin');
    const closingAt = Date.now();
    await k.executor.close();
    await starting;
    expect(Date.now() - closingAt).to.be.below(BOUND_MS);
    expect(await k.executor.readiness()).to.deep.equal({ ready: false, reason: 'shutting down' });
  });
});
