/**
 * No path leaves a Job behind: the Job or the pod deleted from outside, the client going away
 * (before and after the container started), shutdown (SIGTERM -> close()) mid-run, and the sweep
 * of old Jobs at start-up. Against the fake API server with the real client.
 */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { EXECUTION_ID_LABEL, SANDBOX_POD_LABELS } from '../../src/executors/kubernetes/labels.ts';
import { scenario, type KubeObject } from '../support/fake-kube-api/index.ts';
import { NAMESPACE, rejectionOf, startFakeKubernetes, type FakeKubernetes } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';

const never = new AbortController().signal;
const hang = scenario({ container: { kind: 'hang', log: `${JSON.stringify({ type: 'output', data: 'working\n' })}\n` } });

describe('integration: Kubernetes executor cleanup (fake API server)', function () {
  this.timeout(20_000);
  let k: FakeKubernetes;

  afterEach(async () => {
    await k?.close();
  });

  /** Waits until the execution's container runs. */
  async function running(id: string): Promise<void> {
    await waitFor(
      () =>
        k.api.pods(NAMESPACE).some(
          (pod) =>
            pod.metadata.labels?.[EXECUTION_ID_LABEL] === id &&
            (pod.status as { phase?: string }).phase === 'Running',
        ),
      5000,
      'the container to run',
    );
  }

  async function expectNothingLeft(): Promise<void> {
    await waitFor(() => k.api.pods(NAMESPACE).length === 0, 5000, 'the pods to go');
    expect(k.api.jobs(NAMESPACE)).to.deep.equal([]);
  }

  function expectFailure(error: Error, kind: ExecutionFailure['kind'], message: string): void {
    expect(error).to.be.instanceOf(ExecutionFailure);
    expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({ kind, message });
  }

  it('the Job deleted from outside (kubectl delete job): interrupted, nothing left', async () => {
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => ({ ...hang, faults: { deleteJobAfterMs: 100 } })) });
    const error = await rejectionOf(k.executor.run(k.request('import time'), never));
    expectFailure(error, 'interrupted', "The execution's Job was deleted before it finished");
    await expectNothingLeft();
  });

  it('the Job deleted from outside while a slow kubelet lets the container run on: interrupted, not its later result', async () => {
    // Seen on the lab: the pod stays Terminating for seconds; the runner would finish its 2 s timeout meanwhile.
    const slow = scenario({ faults: { deleteJobAfterMs: 300, terminationDelayMs: 4000, holdLogHeaders: true } });
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => slow) });
    const error = await rejectionOf(k.executor.run(k.request('while True: pass', { timeoutSeconds: 2 }), never));
    expectFailure(error, 'interrupted', "The execution's Job was deleted before it finished");
    await expectNothingLeft();
  });

  it('the pod deleted from outside: interrupted, and the executor deletes the Job', async () => {
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => ({ ...hang, faults: { deletePodAfterMs: 100 } })) });
    const request = k.request('import time');
    const error = await rejectionOf(k.executor.run(request, never));
    expectFailure(error, 'interrupted', "The execution's pod was deleted before it finished");
    await expectNothingLeft();
    expect(k.api.deletions).to.deep.equal([{ name: request.id, propagationPolicy: 'Background' }]);
  });

  it('the client goes away mid-run: aborted, the Job deleted (Background)', async () => {
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => hang) });
    const request = k.request('while True: pass');
    const client = new AbortController();
    const run = k.executor.run(request, client.signal);
    await running(request.id);
    client.abort();
    expectFailure(await rejectionOf(run), 'aborted', 'The client went away');
    expect(k.api.deletions).to.deep.equal([{ name: request.id, propagationPolicy: 'Background' }]);
    await expectNothingLeft();
  });

  it('the client goes away while the pod is still being created', async () => {
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => ({ ...hang, creatingMs: 5000 })) });
    const request = k.request('print(1)');
    const client = new AbortController();
    const run = k.executor.run(request, client.signal);
    await waitFor(() => k.api.pods(NAMESPACE).length === 1, 5000, 'the pod');
    client.abort();
    expectFailure(await rejectionOf(run), 'aborted', 'The client went away');
    await expectNothingLeft();
  });

  it('a client already gone: no Job is created', async () => {
    k = await startFakeKubernetes();
    const client = new AbortController();
    client.abort();
    expectFailure(await rejectionOf(k.executor.run(k.request('print(1)'), client.signal)), 'aborted', 'The client went away');
    expect(k.api.requests.filter((r) => r.verb === 'create' && r.resource === 'jobs')).to.deep.equal([]);
  });

  it('SIGTERM mid-run (close()): in-flight Jobs deleted, the runs interrupted, later runs refused', async () => {
    k = await startFakeKubernetes({ prepare: (api) => (api.scenarioFor = () => hang) });
    const requests = [k.request('while True: pass'), k.request('while True: pass')];
    const runs = requests.map((request) => rejectionOf(k.executor.run(request, never)));
    for (const request of requests) await running(request.id);
    await k.executor.close();
    for (const run of runs) expectFailure(await run, 'interrupted', 'The service is shutting down; the execution was stopped');
    expect(k.api.deletions.map((d) => d.name).sort()).to.deep.equal(requests.map((r) => r.id).sort());
    expect(k.api.deletions.every((d) => d.propagationPolicy === 'Background')).to.equal(true);
    expect(k.api.jobs(NAMESPACE)).to.deep.equal([]);
    expectFailure(await rejectionOf(k.executor.run(k.request('print(1)'), never)), 'unavailable', 'The service is shutting down');
    expect(await k.executor.readiness()).to.deep.include({ ready: false, reason: 'shutting down' });
  });

  it('sweeps, at start-up, its own Jobs older than TTL + deadline, and only those', async () => {
    // TTL 300 s + deadline (10 s max timeout + 5 s allowance) = 315 s.
    const ago = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString();
    const job = (name: string, created: string, labels: Record<string, string>): KubeObject => ({
      metadata: { name, namespace: NAMESPACE, creationTimestamp: created, labels },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'runner', image: 'x' }] } } },
    });
    k = await startFakeKubernetes({
      start: false,
      prepare: (api) => {
        api.put('jobs', job('exec-old', ago(400), { ...SANDBOX_POD_LABELS }));
        api.put('jobs', job('exec-older', ago(4000), { ...SANDBOX_POD_LABELS }));
        api.put('jobs', job('exec-young', ago(100), { ...SANDBOX_POD_LABELS }));
        api.put('jobs', job('someone-elses', ago(4000), { app: 'other' }));
      },
    });
    await k.executor.start();
    expect(k.api.deletions.map((d) => d.name).sort()).to.deep.equal(['exec-old', 'exec-older']);
    expect(k.api.jobs(NAMESPACE).map((j) => j.metadata.name).sort()).to.deep.equal(['exec-young', 'someone-elses']);
  });
});
