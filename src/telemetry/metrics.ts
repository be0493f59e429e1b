import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Phases of a Kubernetes execution, exported as latencies. */
export type ExecutionPhase = 'create' | 'schedule' | 'start' | 'run' | 'log';

/** All the service's metrics, in one registry served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  /** Finished executions by outcome: ok, error, timeout, memory, output_limit, or a failure kind. */
  readonly executions = new Counter({
    name: 'code_execution_executions_total',
    help: 'Executions by outcome.',
    labelNames: ['executor', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Wall time of an execution as the service saw it (admission excluded). */
  readonly duration = new Histogram({
    name: 'code_execution_duration_seconds',
    help: 'Wall time of executions, from start to result.',
    labelNames: ['executor', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40],
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'code_execution_in_flight',
    help: 'Executions running now.',
    registers: [this.registry],
  });

  readonly queued = new Gauge({
    name: 'code_execution_queued',
    help: 'Executions waiting for a slot.',
    registers: [this.registry],
  });

  readonly rejected = new Counter({
    name: 'code_execution_rejected_total',
    help: 'Requests refused before running: queue full (429) or executor not ready (503).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** Per-phase latencies of the Kubernetes executor. */
  readonly phase = new Histogram({
    name: 'code_execution_phase_seconds',
    help: 'Latency of each phase of a Kubernetes execution: create, schedule, start, run, log.',
    labelNames: ['phase'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Records one Kubernetes phase latency. */
  observePhase(phase: ExecutionPhase, seconds: number): void {
    this.phase.observe({ phase }, seconds);
  }
}
