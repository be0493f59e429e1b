/**
 * Fail closed: without a NetworkPolicy that isolates the sandbox pods, or without every permission
 * the executor needs, no code runs and readiness says why. Against the fake API server.
 */
import { expect } from 'chai';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import { createKubernetesExecutor } from '../../src/executors/kubernetes/index.ts';
import { loadSettings } from '../../src/config/settings.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { NAMESPACE, denyAllPolicy, rejectionOf, startFakeKubernetes, type FakeKubernetes } from '../support/fake-kube-api/harness.ts';

const never = new AbortController().signal;

describe('integration: Kubernetes executor preflight (fake API server)', function () {
  this.timeout(20_000);
  let k: FakeKubernetes;

  afterEach(async () => {
    await k?.close();
  });

  /** run() is refused with `reason` and no Job is created. */
  async function expectRefused(reason: string): Promise<void> {
    const error = await rejectionOf(k.executor.run(k.request('print(1)'), never));
    expect(error).to.be.instanceOf(ExecutionFailure);
    expect({ kind: (error as ExecutionFailure).kind, message: error.message }).to.deep.equal({
      kind: 'unavailable',
      message: `The Kubernetes executor cannot run code: ${reason}`,
    });
    expect(k.api.requests.filter((r) => r.verb === 'create' && r.resource === 'jobs')).to.deep.equal([]);
  }

  it('is ready with the chart deny-all policy and every permission, and says so', async () => {
    k = await startFakeKubernetes();
    expect(await k.executor.readiness()).to.deep.equal({
      ready: true,
      reason: `Jobs run in namespace ${NAMESPACE}`,
      details: {
        namespace: NAMESPACE,
        runnerImage: 'fake.local/learnflow-runner:test',
        networkPolicy: 'NetworkPolicy sandbox-deny-all denies all traffic of the sandbox pods',
        permissions: 'all 10 required permissions granted',
      },
    });
  });

  it('accepts a namespace-wide deny-all policy (empty podSelector, as the lab has)', async () => {
    k = await startFakeKubernetes({ denyAllPolicy: false, prepare: (api) => api.put('networkpolicies', denyAllPolicy('deny-all', {})) });
    expect(await k.executor.readiness()).to.deep.include({ ready: true });
  });

  it('without a NetworkPolicy: not ready, and no code runs', async () => {
    k = await startFakeKubernetes({ denyAllPolicy: false });
    const reason = `no NetworkPolicy in namespace ${NAMESPACE} selects the sandbox pods and denies all ingress and egress (policyTypes Ingress and Egress, no rules)`;
    expect(await k.executor.readiness()).to.deep.include({ ready: false, reason });
    await expectRefused(reason);
  });

  it('with a policy that selects other pods only: not ready', async () => {
    k = await startFakeKubernetes({ denyAllPolicy: false, prepare: (api) => api.put('networkpolicies', denyAllPolicy('deny-web', { app: 'web' })) });
    expect((await k.executor.readiness()).ready).to.equal(false);
  });

  it('with a policy that denies ingress only: not ready', async () => {
    k = await startFakeKubernetes({
      denyAllPolicy: false,
      prepare: (api) => api.put('networkpolicies', { metadata: { name: 'ingress-only', namespace: NAMESPACE }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
    });
    expect((await k.executor.readiness()).ready).to.equal(false);
  });

  it('with another policy that opens egress for the sandbox pods: not ready, naming it', async () => {
    k = await startFakeKubernetes({
      prepare: (api) =>
        api.put('networkpolicies', {
          metadata: { name: 'allow-dns', namespace: NAMESPACE },
          spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
        }),
    });
    const reason = `NetworkPolicy allow-dns in namespace ${NAMESPACE} allows traffic to or from the sandbox pods`;
    expect(await k.executor.readiness()).to.deep.include({ ready: false, reason });
    await expectRefused(reason);
  });

  it('without some permissions: not ready, naming each missing verb', async () => {
    k = await startFakeKubernetes({
      prepare: (api) => {
        api.deny('patch', 'batch', 'jobs');
        api.deny('get', '', 'pods/log');
      },
    });
    const reason = `the service account may not patch jobs.batch, get pods/log in namespace ${NAMESPACE}`;
    expect(await k.executor.readiness()).to.deep.include({ ready: false, reason });
    await expectRefused(reason);
  });

  it('K8S_SKIP_NETWORK_POLICY_CHECK skips only the NetworkPolicy check, with a loud warning at start', async () => {
    const logLines: string[] = [];
    k = await startFakeKubernetes({ denyAllPolicy: false, env: { K8S_SKIP_NETWORK_POLICY_CHECK: 'true' }, logLines });
    expect(await k.executor.readiness()).to.deep.include({ ready: true });
    const warnings = logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level === 40);
    expect(warnings.map((w) => w.msg)).to.deep.include(
      'K8S_SKIP_NETWORK_POLICY_CHECK is set: sandbox pods may run WITHOUT a deny-all NetworkPolicy. Development clusters only.',
    );
    const result = await k.executor.run(k.request("print('unchecked')"), never);
    expect(result.output).to.equal('unchecked\n');
    await k.close();
    k = await startFakeKubernetes({ denyAllPolicy: false, env: { K8S_SKIP_NETWORK_POLICY_CHECK: 'true' }, prepare: (api) => api.deny('create', 'batch', 'jobs') });
    expect(await k.executor.readiness()).to.deep.include({ ready: false, reason: `the service account may not create jobs.batch in namespace ${NAMESPACE}` });
  });

  it('notices a NetworkPolicy that appears later (the verdict is re-checked when stale)', async () => {
    k = await startFakeKubernetes({ denyAllPolicy: false, preflightMaxAgeMs: 0 });
    expect((await k.executor.readiness()).ready).to.equal(false);
    k.api.put('networkpolicies', denyAllPolicy());
    expect((await k.executor.readiness()).ready).to.equal(true);
    expect((await k.executor.run(k.request("print('now')"), never)).output).to.equal('now\n');
  });

  it('an unreachable API server: not ready, saying so; start() does not throw', async () => {
    k = await startFakeKubernetes({ start: false });
    const kubeConfig = k.api.kubeConfig(NAMESPACE);
    await k.api.close();
    const settings = loadSettings({ EXECUTOR: 'kubernetes', K8S_NAMESPACE: NAMESPACE });
    const executor = createKubernetesExecutor({ settings, logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }) }, { kubeConfig });
    await executor.start();
    const readiness = await executor.readiness();
    expect(readiness.ready).to.equal(false);
    expect(readiness.reason).to.match(/^cannot list NetworkPolicies in namespace learnflow: .+; cannot check permissions \(SelfSubjectAccessReview\): .+$/);
    await executor.close();
  });

  it('a kubeconfig that cannot be loaded: not ready, naming the file', async () => {
    k = await startFakeKubernetes({ start: false });
    const settings = loadSettings({ EXECUTOR: 'kubernetes', KUBECONFIG: '/nonexistent/kubeconfig' });
    const executor = createKubernetesExecutor({ settings, logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }) });
    await executor.start();
    const readiness = await executor.readiness();
    expect(readiness.ready).to.equal(false);
    expect(readiness.reason).to.match(/^cannot load the Kubernetes credentials: .*\/nonexistent\/kubeconfig/);
    const error = await rejectionOf(executor.run(k.request('print(1)'), never));
    expect((error as ExecutionFailure).kind).to.equal('unavailable');
    await executor.close();
  });
});
