/**
 * The fake cluster behind the fake API server: a Job controller (pods from Jobs, status,
 * activeDeadlineSeconds, FailedCreate events, garbage collection) and a kubelet that plays each
 * pod's life as its scenario says. A 'runner' container runs the REAL runner with
 * /usr/bin/python3, the Job's args and environment, so outputs and termination messages are real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ContainerScript, Faults, Scenario } from './scenarios.ts';
import type { KubeObject, ObjectStore } from './store.ts';

/** The runner the 'runner' container runs: the image's entrypoint, on this machine. */
export const RUNNER_PATH = path.resolve(import.meta.dirname, '../../../src/runner/runner.py');
const PYTHON = '/usr/bin/python3';
const IMAGE_ENTRYPOINT = [PYTHON, '-I', '-S', '-B', RUNNER_PATH];
/** Kubernetes keeps at most this much of a termination message. */
const TERMINATION_MESSAGE_LIMIT = 4096;

/** A pod's log: what the container wrote so far, and who follows it. */
export class PodLog {
  text = '';
  ended = false;
  private readonly followers = new Set<{ data: (chunk: string) => void; end: () => void }>();

  append(chunk: string): void {
    this.text += chunk;
    for (const follower of this.followers) follower.data(chunk);
  }

  end(): void {
    this.ended = true;
    for (const follower of this.followers) follower.end();
    this.followers.clear();
  }

  follow(data: (chunk: string) => void, end: () => void): () => void {
    const follower = { data, end };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }
}

/** One pod's life, as the kubelet tracks it. */
interface PodLife {
  readonly namespace: string;
  readonly name: string;
  readonly job: string;
  readonly scenario: Scenario;
  readonly log: PodLog;
  /** Deletion has begun (deletionTimestamp); the container still runs until the grace ends. */
  terminating: boolean;
  /** The container was killed and the pod is going: no more status updates from its life. */
  deleted: boolean;
  process?: ChildProcess;
  /** Resolves when the pod is deleted (what a hanging container waits for). */
  readonly deletion: Promise<void>;
  markDeleted: () => void;
  followCuts: number;
  watchGoneSent: boolean;
}

type ContainerEnd = { exitCode: number; reason: string; message: string };

/** The Job controller and the kubelet. */
export class FakeCluster {
  private readonly store: ObjectStore;
  private readonly stepMs: number;
  private readonly scenarioFor: (job: KubeObject) => Scenario;
  private readonly lives = new Map<string, PodLife>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tasks = new Set<Promise<unknown>>();
  private closed = false;

  constructor(store: ObjectStore, stepMs: number, scenarioFor: (job: KubeObject) => Scenario) {
    this.store = store;
    this.stepMs = stepMs;
    this.scenarioFor = scenarioFor;
  }

  /** A Job was created: start its life. */
  admitJob(job: KubeObject): void {
    const scenario = this.scenarioFor(job);
    this.store.update('jobs', job.metadata.namespace, job.metadata.name, (j) => {
      j.status = { startTime: new Date().toISOString(), active: 1 };
    });
    const deadline = (job.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds;
    if (deadline !== undefined) this.later(deadline * 1000, () => this.deadlineReached(job, scenario));
    this.track(this.play(job, scenario));
  }

  /** The pod's life, by pod name. */
  lifeOf(podName: string): PodLife | undefined {
    return this.lives.get(podName);
  }

  /** Faults for the pod's Job. */
  faultsOf(podName: string): Faults {
    return this.lives.get(podName)?.scenario.faults ?? {};
  }

  /** kubectl delete job: the Job goes now, its pods (unless orphaned) are deleted gracefully. */
  deleteJob(namespace: string, name: string, propagationPolicy: string): KubeObject | undefined {
    const removed = this.store.remove('jobs', namespace, name);
    if (removed && propagationPolicy !== 'Orphan') {
      for (const pod of this.podsOf(namespace, name)) this.deletePod(namespace, pod.metadata.name);
    }
    return removed;
  }

  /**
   * Graceful pod deletion: deletionTimestamp at once; the container is killed when the grace
   * period (or the scenario's slow kubelet) is over, unless it ends by itself first; then the pod goes.
   */
  deletePod(namespace: string, name: string): KubeObject | undefined {
    const life = this.lives.get(name);
    const updated = this.store.update('pods', namespace, name, (pod) => {
      pod.metadata.deletionTimestamp ??= new Date().toISOString();
      pod.metadata.deletionGracePeriodSeconds = 1;
    });
    if (updated === undefined || life?.terminating) return updated;
    if (life) life.terminating = true;
    const grace = Math.max(this.stepMs, life?.scenario.faults?.terminationDelayMs ?? 0);
    this.later(grace, () => {
      if (life && !life.deleted) {
        life.deleted = true;
        life.process?.kill('SIGKILL');
        life.markDeleted();
      }
      this.killedContainer(namespace, name);
      this.later(this.stepMs, () => {
        this.store.remove('pods', namespace, name);
        life?.log.end();
      });
    });
    return updated;
  }

  /** Stops every process and timer. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const life of this.lives.values()) {
      life.process?.kill('SIGKILL');
      life.markDeleted();
    }
    await Promise.allSettled([...this.tasks]);
  }

  private async play(job: KubeObject, scenario: Scenario): Promise<void> {
    const { namespace, name: jobName } = job.metadata;
    if (scenario.start.kind === 'no-pod') {
      this.failCreating(job, scenario.start.message);
      return;
    }
    const life = this.createPod(job, scenario);
    await this.step();
    if (scenario.start.kind === 'unschedulable') {
      const message = scenario.start.message;
      this.updatePod(life, (status) => {
        status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }];
      });
      return;
    }
    this.updatePod(life, (status, pod) => {
      (pod.spec as { nodeName?: string }).nodeName = 'fake-node';
      status.conditions = [{ type: 'PodScheduled', status: 'True' }];
      status.containerStatuses = [waitingStatus('ContainerCreating')];
    });
    if (scenario.start.kind === 'image') {
      const { reason, message } = scenario.start;
      await this.step();
      this.updatePod(life, (status) => {
        status.containerStatuses = [waitingStatus(reason, message)];
      });
      return;
    }
    await sleep(scenario.creatingMs ?? this.stepMs);
    if (life.deleted || this.closed) return;
    const startedAt = new Date().toISOString();
    this.updatePod(life, (status) => {
      status.phase = 'Running';
      status.containerStatuses = [{ ...containerBase(), ready: true, started: true, state: { running: { startedAt } } }];
    });
    this.injectDeletions(life, jobName, namespace);
    const end = await this.runContainer(life, job, scenario.container);
    if (life.deleted || end === undefined) return;
    this.finishContainer(life, end, startedAt);
  }

  private createPod(job: KubeObject, scenario: Scenario): PodLife {
    const { namespace, name: jobName, uid = '' } = job.metadata;
    const template = (job.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> } }).template;
    const name = `${jobName}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    this.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        // The labels Kubernetes 1.20 adds to a Job's pods.
        labels: { ...template.metadata?.labels, 'controller-uid': uid, 'job-name': jobName },
        ownerReferences: [{ kind: 'Job', name: jobName, uid, controller: true }],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', qosClass: 'Guaranteed' },
    });
    let markDeleted = (): void => undefined;
    const deletion = new Promise<void>((resolve) => {
      markDeleted = resolve;
    });
    const life: PodLife = { namespace, name, job: jobName, scenario, log: new PodLog(), terminating: false, deleted: false, deletion, markDeleted, followCuts: 0, watchGoneSent: false };
    this.lives.set(name, life);
    return life;
  }

  private injectDeletions(life: PodLife, jobName: string, namespace: string): void {
    const faults = life.scenario.faults ?? {};
    if (faults.deleteJobAfterMs !== undefined) this.later(faults.deleteJobAfterMs, () => this.deleteJob(namespace, jobName, 'Background'));
    if (faults.deletePodAfterMs !== undefined) this.later(faults.deletePodAfterMs, () => this.deletePod(namespace, life.name));
  }

  private async runContainer(life: PodLife, job: KubeObject, script: ContainerScript): Promise<ContainerEnd | undefined> {
    switch (script.kind) {
      case 'runner':
        return this.runRunner(life, job);
      case 'canned':
        life.log.append(script.log);
        return { exitCode: script.exitCode, reason: script.exitCode === 0 ? 'Completed' : 'Error', message: script.message };
      case 'oom':
        life.log.append(script.log);
        await Promise.race([sleep(script.afterMs), life.deletion]);
        return { exitCode: 137, reason: 'OOMKilled', message: '' };
      case 'hang':
        life.log.append(script.log);
        await life.deletion;
        return undefined;
      case 'crash':
        life.log.append(script.log);
        return { exitCode: 1, reason: 'Error', message: '' };
    }
  }

  /** The real runner, as the image's entrypoint with the Job's args and environment. */
  private async runRunner(life: PodLife, job: KubeObject): Promise<ContainerEnd> {
    const container = jobContainer(job);
    const directory = mkdtempSync(path.join(tmpdir(), 'fake-kubelet-'));
    const terminationLog = path.join(directory, 'termination-log');
    const args = (container.args ?? []).map((arg) => (arg === container.terminationMessagePath ? terminationLog : arg));
    const env: Record<string, string> = { PATH: '/usr/bin:/bin' };
    for (const { name, value } of container.env ?? []) env[name] = value ?? '';
    try {
      const exit = await new Promise<{ code: number; error?: string }>((resolve) => {
        const child = spawn(IMAGE_ENTRYPOINT[0] ?? PYTHON, [...IMAGE_ENTRYPOINT.slice(1), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        life.process = child;
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => life.log.append(chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => life.log.append(chunk));
        child.on('error', (error) => resolve({ code: 128, error: error.message }));
        child.on('close', (code, signal) => resolve({ code: code ?? 128 + signalNumber(signal) }));
      });
      if (exit.error !== undefined) return { exitCode: 128, reason: 'StartError', message: exit.error };
      return { exitCode: exit.code, reason: exit.code === 0 ? 'Completed' : 'Error', message: readTerminationMessage(terminationLog) };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  private finishContainer(life: PodLife, end: ContainerEnd, startedAt: string): void {
    const finishedAt = new Date().toISOString();
    this.updatePod(life, (status) => {
      status.phase = end.exitCode === 0 ? 'Succeeded' : 'Failed';
      status.containerStatuses = [{ ...containerBase(), ready: false, started: false, state: { terminated: { ...end, startedAt, finishedAt } } }];
    });
    life.log.end();
    this.store.update('jobs', life.namespace, life.job, (job) => {
      const status = (job.status ?? {}) as Record<string, unknown>;
      const now = new Date().toISOString();
      if (end.exitCode === 0) {
        job.status = { ...status, active: undefined, succeeded: 1, completionTime: now, conditions: [condition('Complete', '', '')] };
      } else {
        job.status = { ...status, active: undefined, failed: 1, conditions: [condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] };
      }
    });
  }

  /** A deleted pod's container is killed: exit 137, unless it had already ended. */
  private killedContainer(namespace: string, name: string): void {
    this.store.update('pods', namespace, name, (pod) => {
      const status = pod.status as PodStatus;
      const current = status.containerStatuses?.[0];
      if (current?.state && 'terminated' in current.state) return;
      const now = new Date().toISOString();
      status.phase = 'Failed';
      status.containerStatuses = [{ ...containerBase(), state: { terminated: { exitCode: 137, reason: 'Error', message: '', startedAt: now, finishedAt: now } } }];
    });
  }

  private deadlineReached(job: KubeObject, scenario: Scenario): void {
    const { namespace, name } = job.metadata;
    const current = this.store.get('jobs', namespace, name);
    const conditions = (current?.status as { conditions?: unknown[] } | undefined)?.conditions ?? [];
    if (current === undefined || conditions.length > 0) return;
    // Kubernetes 1.20's Job controller deletes the active pods first, then writes the condition.
    for (const pod of this.podsOf(namespace, name)) this.deletePod(namespace, pod.metadata.name);
    this.later(scenario.faults?.deadlineConditionDelayMs ?? 100, () => {
      this.store.update('jobs', namespace, name, (j) => {
        j.status = { ...(j.status as object), active: undefined, failed: 1, conditions: [condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline')] };
      });
    });
  }

  /** A quota (or webhook) refuses the pod: FailedCreate events, repeated like the controller's retries. */
  private failCreating(job: KubeObject, message: string): void {
    const { namespace, name } = job.metadata;
    const emit = (): void => {
      if (this.store.get('jobs', namespace, name) === undefined) return;
      this.store.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: { kind: 'Job', name, namespace, apiVersion: 'batch/v1' },
        reason: 'FailedCreate',
        message: `Error creating: pods "${name}-${randomBytes(3).toString('hex').slice(0, 5)}" is forbidden: ${message}`,
        type: 'Warning',
        source: { component: 'job-controller' },
      });
      this.later(200, emit);
    };
    emit();
  }

  private podsOf(namespace: string, jobName: string): KubeObject[] {
    return this.store.list('pods', namespace, (pod) => pod.metadata.labels?.['job-name'] === jobName);
  }

  private updatePod(life: PodLife, change: (status: PodStatus, pod: KubeObject) => void): void {
    if (life.deleted) return;
    this.store.update('pods', life.namespace, life.name, (pod) => {
      pod.status ??= {};
      change(pod.status as PodStatus, pod);
    });
  }

  private later(ms: number, action: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) action();
    }, ms);
    this.timers.add(timer);
  }

  private step(): Promise<void> {
    return sleep(this.stepMs);
  }

  private track(task: Promise<unknown>): void {
    this.tasks.add(task);
    void task.catch((error: unknown) => console.error('fake kubelet:', error)).finally(() => this.tasks.delete(task));
  }
}

interface PodStatus {
  phase?: string;
  conditions?: Record<string, unknown>[];
  containerStatuses?: { state?: Record<string, unknown>; [field: string]: unknown }[];
}

interface JobContainer {
  args?: string[];
  env?: { name: string; value?: string }[];
  terminationMessagePath?: string;
}

function jobContainer(job: KubeObject): JobContainer {
  const spec = job.spec as { template: { spec: { containers: JobContainer[] } } };
  const container = spec.template.spec.containers[0];
  if (container === undefined) throw new Error('the Job has no container');
  return container;
}

function containerBase(): Record<string, unknown> {
  return { name: 'runner', image: 'fake', imageID: '', restartCount: 0, ready: false, started: false };
}

function waitingStatus(reason: string, message?: string): Record<string, unknown> {
  return { ...containerBase(), state: { waiting: { reason, ...(message === undefined ? {} : { message }) } } };
}

function condition(type: string, reason: string, message: string): Record<string, unknown> {
  const now = new Date().toISOString();
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, ...(reason ? { reason, message } : {}) };
}

function readTerminationMessage(file: string): string {
  try {
    return readFileSync(file).subarray(0, TERMINATION_MESSAGE_LIMIT).toString('utf8');
  } catch {
    return '';
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
