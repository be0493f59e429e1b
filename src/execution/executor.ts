import type { Settings } from '../config/settings.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { ExecutionRequest, ExecutionResult } from './types.ts';

/** Whether an executor can run code now, and why not. */
export interface Readiness {
  readonly ready: boolean;
  /** Human-readable: what is missing, or which isolation/mode is in use. */
  readonly reason: string;
  /** Facts worth showing on /ready (isolation mode, namespace, ...). */
  readonly details?: Readonly<Record<string, string | boolean>>;
}

/**
 * Runs one learner program in a sandbox. Implemented by the local executor (OS sandbox on this
 * host) and the Kubernetes executor (one Job per execution).
 *
 * run() resolves with the program's result for every outcome of the program itself, including
 * errors, memory and output limits; a timeout resolves with status 'timeout'. It rejects with
 * ExecutionFailure when the program could not be run or was stopped from outside, and must
 * release everything it created (processes, Jobs) on every path, including when `signal` aborts.
 */
export interface Executor {
  /** "local" or "kubernetes", for logs and metrics. */
  readonly kind: string;
  /** Detects isolation / checks the cluster; never throws for a missing capability (see readiness). */
  start(): Promise<void>;
  /** Re-evaluated on every /ready call; cheap or cached. */
  readiness(): Promise<Readiness>;
  run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult>;
  /** Stops accepting work, stops in-flight executions and cleans up what they created. */
  close(): Promise<void>;
}

/** What every executor is built from. */
export interface ExecutorDependencies {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly metrics: Metrics;
}
