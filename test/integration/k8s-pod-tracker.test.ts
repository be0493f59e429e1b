/**
 * The pod tracker when a re-list is answered after a newer watch event (a slow API server): the
 * late list never moves the pod back in its life, and a list begun before the pod was seen never
 * declares it gone. The real client against the fake API server, which answers the list late
 * with the state it had when the list arrived.
 */
import { expect } from 'chai';
import { createKubeClients } from '../../src/executors/kubernetes/kubeApi.ts';
import { PodTracker } from '../../src/executors/kubernetes/podTracker.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { FakeKubeApi, type KubeObject } from '../support/fake-kube-api/index.ts';
import { NAMESPACE } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';

const SELECTOR = 'learnflow.io/execution-id=exec-1';

function pod(state: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'exec-1-abcde', namespace: NAMESPACE, labels: { 'learnflow.io/execution-id': 'exec-1' } },
    spec: { nodeName: 'fake-node', containers: [{ name: 'runner', image: 'x' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'runner', image: 'x', imageID: '', ready: true, restartCount: 0, state }] },
  };
}

describe('integration: pod tracker with late re-lists (fake API server)', function () {
  this.timeout(10_000);
  let api: FakeKubeApi;
  let tracker: PodTracker;

  beforeEach(async () => {
    api = await FakeKubeApi.start();
    tracker = new PodTracker({
      clients: createKubeClients(api.kubeConfig(NAMESPACE), 5000),
      namespace: NAMESPACE,
      labelSelector: SELECTOR,
      resyncMs: 60_000, // no re-list of its own: the test makes them
      logger: createLogger('silent'),
    });
  });

  afterEach(async () => {
    tracker.stop();
    await api.close();
  });

  it('a re-list answered after the watch saw the container terminate does not bring it back to running', async () => {
    api.put('pods', pod({ running: {} }));
    await tracker.start();
    expect(tracker.observation?.container).to.deep.equal({ kind: 'running' });
    api.stall = (request) => (request.verb === 'list' ? { answerAfterMs: 400 } : undefined);
    const relisted = tracker.relist(); // its answer is taken now: running
    await waitFor(() => api.requests.filter((r) => r.verb === 'list').length === 2, 5000, 'the re-list to arrive');
    api.store.update('pods', NAMESPACE, 'exec-1-abcde', (object) => {
      object.status = pod({ terminated: { exitCode: 0, reason: 'Completed', message: 'done' } }).status;
    });
    await waitFor(() => tracker.observation?.container.kind === 'terminated', 5000, 'the watch event');
    await relisted;
    expect(tracker.observation?.container).to.deep.equal({ kind: 'terminated', exitCode: 0, reason: 'Completed', message: 'done' });
  });

  it('a list begun before the pod was seen does not declare it gone', async () => {
    await tracker.start(); // no pod yet
    api.stall = (request) => (request.verb === 'list' ? { answerAfterMs: 400 } : undefined);
    const relisted = tracker.relist(); // its answer is taken now: no pod
    await waitFor(() => api.requests.filter((r) => r.verb === 'list').length === 2, 5000, 'the re-list to arrive');
    api.put('pods', pod({ running: {} }));
    await waitFor(() => tracker.observation !== undefined, 5000, 'the watch event');
    await relisted;
    expect({ gone: tracker.gone, container: tracker.observation?.container }).to.deep.equal({ gone: false, container: { kind: 'running' } });
  });

  it('a list begun after the pod was seen does declare it gone', async () => {
    api.stall = (request) => (request.verb === 'watch' ? 'drop' : undefined); // only lists tell
    api.put('pods', pod({ running: {} }));
    await tracker.start();
    expect(tracker.observation?.container).to.deep.equal({ kind: 'running' });
    api.store.remove('pods', NAMESPACE, 'exec-1-abcde');
    await tracker.relist();
    expect(tracker.gone).to.equal(true);
  });
});
