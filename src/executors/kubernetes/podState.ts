/**
 * Reading a sandbox pod's status: has it been scheduled, has its container started or ended, and
 * is something keeping it from ever starting. Pure functions over V1Pod, so every case is unit
 * tested without a cluster.
 */
import type { V1ContainerStateWaiting, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { RUNNER_CONTAINER } from './jobSpec.ts';

/** The runner container's state. */
export type ContainerPhase =
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'running' }
  | { readonly kind: 'terminated'; readonly exitCode: number; readonly reason: string; readonly message: string };

/** Why a pod has not started: `fatal` ones never will; the others may clear within the allowance. */
export interface StartBlocker {
  readonly fatal: boolean;
  readonly cause: string;
}

/** What the executor needs to know about its pod at one moment. */
export interface PodObservation {
  readonly name: string;
  readonly scheduled: boolean;
  readonly container: ContainerPhase;
  /** The pod is being deleted (deletionTimestamp), by the Job controller or from outside. */
  readonly deleting: boolean;
  readonly blocker: StartBlocker | undefined;
}

/** Waiting reasons meaning the image cannot be had: the pod will never start. */
const IMAGE_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError', 'RegistryUnavailable']);

/** Waiting reasons meaning the container cannot be created as specified. */
const CONTAINER_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** Reads one pod. */
export function observePod(pod: V1Pod): PodObservation {
  const status = runnerStatus(pod);
  const container = containerPhase(status);
  return {
    name: pod.metadata?.name ?? '',
    scheduled: isScheduled(pod),
    container,
    deleting: pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null,
    blocker: container.kind === 'waiting' ? startBlocker(pod, status?.state?.waiting) : undefined,
  };
}

/**
 * Whether `next` may replace `previous` as the pod's state: a pod's life only moves forward
 * (pending -> scheduled -> running -> terminated; deletion, once begun, is never undone; with
 * restartPolicy Never the container never starts again). A re-list that was answered after a newer
 * watch event carries an older state: it must not move the pod back. resourceVersions cannot
 * decide it (Kubernetes documents them as opaque: no ordering may be assumed).
 */
export function isNotOlder(previous: PodObservation, next: PodObservation): boolean {
  if (previous.deleting && !next.deleting) return false;
  return lifeStage(next) >= lifeStage(previous);
}

function lifeStage(observation: PodObservation): number {
  if (observation.container.kind === 'terminated') return 3;
  if (observation.container.kind === 'running') return 2;
  return observation.scheduled ? 1 : 0;
}

/** True once the container has started (it may have ended already). */
export function hasStarted(observation: PodObservation): boolean {
  return observation.container.kind !== 'waiting';
}

function runnerStatus(pod: V1Pod): V1ContainerStatus | undefined {
  return (pod.status?.containerStatuses ?? []).find((s) => s.name === RUNNER_CONTAINER);
}

function isScheduled(pod: V1Pod): boolean {
  const condition = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  return condition?.status === 'True' || (pod.spec?.nodeName ?? '') !== '';
}

function containerPhase(status: V1ContainerStatus | undefined): ContainerPhase {
  const state = status?.state ?? {};
  const terminated = state.terminated;
  if (terminated) {
    return { kind: 'terminated', exitCode: terminated.exitCode, reason: terminated.reason ?? '', message: terminated.message ?? '' };
  }
  if (state.running) return { kind: 'running' };
  return { kind: 'waiting', reason: state.waiting?.reason ?? '' };
}

function startBlocker(pod: V1Pod, waiting: V1ContainerStateWaiting = {}): StartBlocker | undefined {
  const reason = waiting.reason ?? '';
  const detail = waiting.message ? `${reason}: ${waiting.message}` : reason;
  if (IMAGE_FAILURES.has(reason)) {
    const image = (pod.spec?.containers ?? []).find((c) => c.name === RUNNER_CONTAINER)?.image;
    return { fatal: true, cause: `the sandbox image ${image ?? ''} cannot be pulled (${detail})` };
  }
  if (CONTAINER_FAILURES.has(reason)) return { fatal: true, cause: `the sandbox container cannot be created (${detail})` };
  return podLevelBlocker(pod);
}

/** The pod failed as a whole (rejected by the kubelet) or the scheduler finds no node for it. */
function podLevelBlocker(pod: V1Pod): StartBlocker | undefined {
  const status = pod.status ?? {};
  if (status.phase === 'Failed') {
    const why = [status.reason, status.message].filter(Boolean).join(': ') || 'no reason given';
    return { fatal: true, cause: `the sandbox pod failed before it started (${why})` };
  }
  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { fatal: false, cause: `the sandbox pod cannot be scheduled: ${scheduled.message ?? 'no node fits'}` };
  }
  return undefined;
}

/** A one-line description of where a pod that has not started stands, for the "did not start" message. */
export function describeWaiting(observation: PodObservation | undefined): string {
  if (observation === undefined) return 'no pod was created';
  if (observation.blocker) return observation.blocker.cause;
  if (!observation.scheduled) return 'the pod was not scheduled';
  const reason = observation.container.kind === 'waiting' ? observation.container.reason : '';
  return `the container was still waiting${reason ? ` (${reason})` : ''}`;
}
