/**
 * src/main.ts as a real process with EXECUTOR=kubernetes, pointed by a kubeconfig file at the fake
 * API server of this test process: the server answers /health while the executor starts, and on
 * SIGTERM an execution still running after the grace period is stopped (502) and its Job deleted.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXECUTION_ID_LABEL } from '../../src/executors/kubernetes/labels.ts';
import { FakeKubeApi, scenario } from '../support/fake-kube-api/index.ts';
import { NAMESPACE, denyAllPolicy } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';
import { READY_MESSAGE, execute, startMain, type RunningService } from '../support/mainProcess.ts';

const hang = scenario({ container: { kind: 'hang', log: `${JSON.stringify({ type: 'output', data: 'working\n' })}\n` } });

describe('integration: main.ts with the Kubernetes executor (fake API server)', function () {
  this.timeout(60_000);
  let api: FakeKubeApi;
  let directory: string;
  let service: RunningService | undefined;

  /** The service's settings: the Kubernetes executor on the fake, through a kubeconfig file. */
  function kubernetesEnv(extra: Record<string, string> = {}): Record<string, string> {
    const kubeconfig = path.join(directory, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeConfig(NAMESPACE).exportConfig());
    return {
      EXECUTOR: 'kubernetes',
      KUBECONFIG: kubeconfig,
      K8S_NAMESPACE: NAMESPACE,
      K8S_RUNNER_IMAGE: 'fake.local/learnflow-runner:test',
      K8S_IMAGE_PULL_POLICY: 'Never',
      ...extra,
    };
  }

  beforeEach(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'k8s-main-'));
    api = await FakeKubeApi.start();
    api.put('networkpolicies', denyAllPolicy());
  });

  afterEach(async () => {
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    service = undefined;
    api.stall = undefined;
    await api.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('SIGTERM mid-run: past the grace period the client gets 502, the Job is deleted, exit 0', async () => {
    api.scenarioFor = () => hang;
    service = await startMain(kubernetesEnv({ SHUTDOWN_GRACE_SECONDS: '0.5' }));
    expect(service.logs.find((l) => l.msg === READY_MESSAGE)).to.include({ executor: 'kubernetes', ready: true, namespace: NAMESPACE });
    const running = execute(service.url, 'while True: pass', 10);
    await waitFor(() => api.pods(NAMESPACE).some((pod) => (pod.status as { phase?: string }).phase === 'Running'), 10_000, 'the container to run');
    const jobs = api.jobs(NAMESPACE).map((job) => job.metadata.name);
    expect(jobs).to.have.length(1);
    expect(api.pods(NAMESPACE)[0]?.metadata.labels?.[EXECUTION_ID_LABEL]).to.equal(jobs[0]);
    service.child.kill('SIGTERM');
    const res = await running;
    expect(res).to.deep.equal({ status: 502, body: { detail: 'The service is shutting down; the execution was stopped' } });
    expect(await service.exited).to.equal(0);
    expect(api.deletions).to.deep.equal([{ name: jobs[0], propagationPolicy: 'Background' }]);
    await waitFor(() => api.pods(NAMESPACE).length === 0, 5000, 'the pod to go');
    expect(api.jobs(NAMESPACE)).to.deep.equal([]);
    expect(service.logs.map((l) => l.msg)).to.include.members(['shutting down', 'grace period over: stopping in-flight executions', 'stopped']);
  });

  it('listens before the executor has started: /health answers, /ready and executions get 503 "starting" until it is ready', async () => {
    api.stall = (request) => (request.verb === 'list' && request.resource === 'networkpolicies' ? { delayMs: 3000 } : undefined);
    service = await startMain(kubernetesEnv(), 'listening; starting the executor');
    const current = service;
    const health = await fetch(`${current.url}/health`);
    expect({ status: health.status, body: await health.json() }).to.deep.equal({
      status: 200,
      body: { status: 'healthy', service: 'code-execution-service' },
    });
    const ready = await fetch(`${current.url}/ready`);
    expect({ status: ready.status, body: await ready.json() }).to.deep.equal({ status: 503, body: { detail: 'the Kubernetes executor is starting' } });
    expect(await execute(current.url, 'print(1)')).to.deep.equal({ status: 503, body: { detail: 'the Kubernetes executor is starting' } });
    expect(api.jobs(NAMESPACE)).to.deep.equal([]);
    await waitFor(() => current.logs.some((l) => l.msg === READY_MESSAGE), 15_000, 'the executor to be ready');
    const res = await execute(current.url, "print('now')");
    expect(res.status).to.equal(200);
    expect(res.body.data).to.include({ output: 'now\n', error: null });
    current.child.kill('SIGTERM');
    expect(await current.exited).to.equal(0);
  });
});
