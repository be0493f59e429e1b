/**
 * What the fake kubelet and Job controller do with one Job: how its pod starts (or does not), what
 * its container does, and which faults the API server injects on the way. Tests pick a scenario
 * per Job (FakeKubeApi.scenarioFor).
 */

/** How the pod gets going. */
export type StartScript =
  /** Scheduled, ContainerCreating for `creatingMs`, then running. */
  | { readonly kind: 'normal' }
  /** The scheduler finds no node: PodScheduled=False, reason Unschedulable. */
  | { readonly kind: 'unschedulable'; readonly message: string }
  /** The image cannot be had: the container waits with this reason forever. */
  | { readonly kind: 'image'; readonly reason: string; readonly message: string }
  /** The Job controller cannot create the pod (quota): FailedCreate events, no pod. */
  | { readonly kind: 'no-pod'; readonly message: string };

/** What the container does once it runs. */
export type ContainerScript =
  /** The real runner (/usr/bin/python3 src/runner/runner.py) with the Job's args and environment. */
  | { readonly kind: 'runner' }
  /** Writes `log` at once and exits with `exitCode`, leaving `message` as termination message (the benchmark). */
  | { readonly kind: 'canned'; readonly log: string; readonly message: string; readonly exitCode: number }
  /** Writes `log`, then the kernel kills it for memory after `afterMs`: exit 137, reason OOMKilled. */
  | { readonly kind: 'oom'; readonly log: string; readonly afterMs: number }
  /** Writes `log` and then runs until its pod is deleted (deadline, Job deleted, abort, shutdown). */
  | { readonly kind: 'hang'; readonly log: string }
  /** Writes `log` and exits 1 without a result (a runner crash). */
  | { readonly kind: 'crash'; readonly log: string };

/** Faults injected for this Job's pod. */
export interface Faults {
  /** Cut every follow request of the log after this many bytes (the connection is destroyed), this many times. */
  readonly cutFollowAfterBytes?: number;
  readonly cutFollowTimes?: number;
  /** Watches never deliver events about this pod (a list still shows it). */
  readonly dropPodEvents?: boolean;
  /** The first watch of this pod gets `ERROR 410 Gone` instead of events. */
  readonly watchGoneOnce?: boolean;
  /** Delete the Job from outside (kubectl delete job) this long after the container started. */
  readonly deleteJobAfterMs?: number;
  /** Delete the pod from outside this long after the container started. */
  readonly deletePodAfterMs?: number;
  /** Follow responses send their headers only with the first byte of the log. */
  readonly holdLogHeaders?: boolean;
  /** Follow streams stay open after the container ended (the log is complete, the stream never ends). */
  readonly keepLogOpen?: boolean;
  /** A slow kubelet: a deleted pod's container keeps running this long before it is killed. */
  readonly terminationDelayMs?: number;
  /** Write the DeadlineExceeded condition only this long after deleting the pods (the 1.20 controller's order). */
  readonly deadlineConditionDelayMs?: number;
}

/** Everything about one Job's life. */
export interface Scenario {
  readonly start: StartScript;
  readonly container: ContainerScript;
  /** How long the container stays in ContainerCreating (follow requests get 400 meanwhile). */
  readonly creatingMs?: number;
  readonly faults?: Faults;
}

/** The default: a pod that starts and runs the real runner. */
export const RUN_RUNNER: Scenario = { start: { kind: 'normal' }, container: { kind: 'runner' } };

/** Builds a scenario from the runner default and overrides. */
export function scenario(overrides: Partial<Scenario>): Scenario {
  return { ...RUN_RUNNER, ...overrides };
}
