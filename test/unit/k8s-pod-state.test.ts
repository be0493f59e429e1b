/** Reading a sandbox pod: scheduled, the runner container's state, and what keeps it from starting. */
import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { describeWaiting, hasStarted, isNotOlder, observePod } from '../../src/executors/kubernetes/podState.ts';

function pod(status: V1Pod['status'], extra: Partial<V1Pod> = {}): V1Pod {
  return { metadata: { name: 'exec-1-abcde' }, spec: { containers: [{ name: 'runner', image: 'lab/runner:1' }] }, status, ...extra };
}

const waiting = (reason: string, message?: string): V1Pod['status'] => ({
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'True' }],
  containerStatuses: [{ name: 'runner', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message } } }],
});

describe('unit: sandbox pod state', () => {
  it('a new pod: not scheduled, waiting, nothing blocking yet', () => {
    const observation = observePod(pod({ phase: 'Pending' }));
    expect(observation).to.deep.equal({ name: 'exec-1-abcde', scheduled: false, container: { kind: 'waiting', reason: '' }, deleting: false, blocker: undefined });
    expect(hasStarted(observation)).to.equal(false);
    expect(describeWaiting(observation)).to.equal('the pod was not scheduled');
  });

  it('scheduled and creating the container', () => {
    const observation = observePod(pod(waiting('ContainerCreating')));
    expect(observation).to.deep.include({ scheduled: true, container: { kind: 'waiting', reason: 'ContainerCreating' }, blocker: undefined });
    expect(describeWaiting(observation)).to.equal('the container was still waiting (ContainerCreating)');
  });

  it('a nodeName alone counts as scheduled', () => {
    expect(observePod(pod({ phase: 'Pending' }, { spec: { nodeName: 'n1', containers: [] } })).scheduled).to.equal(true);
  });

  it('running, then terminated with its exit code, reason and termination message', () => {
    const running = observePod(pod({ phase: 'Running', containerStatuses: [{ name: 'runner', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] }));
    expect(running.container).to.deep.equal({ kind: 'running' });
    expect(hasStarted(running)).to.equal(true);
    const terminated = observePod(
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'runner', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled', message: '' } } }],
      }),
    );
    expect(terminated.container).to.deep.equal({ kind: 'terminated', exitCode: 137, reason: 'OOMKilled', message: '' });
    expect(hasStarted(terminated)).to.equal(true);
  });

  it('image failures are fatal and name the image', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']) {
      expect(observePod(pod(waiting(reason, 'no such image'))).blocker, reason).to.deep.equal({
        fatal: true,
        cause: `the sandbox image lab/runner:1 cannot be pulled (${reason}: no such image)`,
      });
    }
  });

  it('a container that cannot be created is fatal', () => {
    expect(observePod(pod(waiting('CreateContainerConfigError', 'secret "x" not found'))).blocker).to.deep.equal({
      fatal: true,
      cause: 'the sandbox container cannot be created (CreateContainerConfigError: secret "x" not found)',
    });
  });

  it('unschedulable waits (the allowance decides) and names the scheduler message', () => {
    const observation = observePod(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }] }));
    expect(observation.blocker).to.deep.equal({ fatal: false, cause: 'the sandbox pod cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.' });
    expect(describeWaiting(observation)).to.equal('the sandbox pod cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.');
  });

  it('a pod the kubelet rejected before starting is fatal', () => {
    expect(observePod(pod({ phase: 'Failed', reason: 'OutOfcpu', message: 'Node didn\'t have enough resource: cpu' })).blocker).to.deep.equal({
      fatal: true,
      cause: "the sandbox pod failed before it started (OutOfcpu: Node didn't have enough resource: cpu)",
    });
  });

  it('a pod being deleted says so', () => {
    expect(observePod(pod({ phase: 'Running' }, { metadata: { name: 'p', deletionTimestamp: new Date() } })).deleting).to.equal(true);
  });

  it('no pod at all', () => {
    expect(describeWaiting(undefined)).to.equal('no pod was created');
  });

  describe('isNotOlder: a pod\'s life only moves forward (a late re-list never moves it back)', () => {
    const container = (state: Record<string, unknown>): V1Pod['status'] => ({
      phase: 'Running',
      containerStatuses: [{ name: 'runner', image: 'x', imageID: '', ready: false, restartCount: 0, state }],
    });
    const stages = {
      pending: observePod(pod({ phase: 'Pending' })),
      creating: observePod(pod(waiting('ContainerCreating'))),
      running: observePod(pod(container({ running: {} }))),
      terminated: observePod(pod(container({ terminated: { exitCode: 0, reason: 'Completed', message: '' } }))),
    };
    const order = ['pending', 'creating', 'running', 'terminated'] as const;

    it('accepts the same stage or a later one, refuses an earlier one', () => {
      const verdicts = order.flatMap((from) => order.map((to) => `${from}->${to}: ${String(isNotOlder(stages[from], stages[to]))}`));
      expect(verdicts).to.deep.equal([
        'pending->pending: true', 'pending->creating: true', 'pending->running: true', 'pending->terminated: true',
        'creating->pending: false', 'creating->creating: true', 'creating->running: true', 'creating->terminated: true',
        'running->pending: false', 'running->creating: false', 'running->running: true', 'running->terminated: true',
        'terminated->pending: false', 'terminated->creating: false', 'terminated->running: false', 'terminated->terminated: true',
      ]);
    });

    it('a deletion, once seen, is never undone', () => {
      const deleting = observePod(pod(container({ running: {} }), { metadata: { name: 'p', deletionTimestamp: new Date() } }));
      expect([isNotOlder(stages.running, deleting), isNotOlder(deleting, stages.running), isNotOlder(deleting, { ...stages.terminated, deleting: true })]).to.deep.equal([
        true,
        false,
        true,
      ]);
    });
  });
});
