/**
 * The Kubernetes executor's own overhead per execution, against the in-process fake API server
 * whose kubelet answers at once (no pauses between pod states) with a precomputed runner output
 * (hello world, produced once by the real runner): no Python, no cluster, only the executor's
 * work — create, list + watch, log follow, outcome, the outcome label — over HTTP with the real
 * client. The fake's own handling runs in the same process, so the figures are an upper bound.
 * Figures only, never assertions.
 * Usage: node bench/k8s-overhead.ts [iterations=300] [concurrency=4]
 */
import { execFileSync } from 'node:child_process';
import { OUTCOME_LABEL } from '../src/executors/kubernetes/labels.ts';
import { RUNNER_PATH, scenario } from '../test/support/fake-kube-api/index.ts';
import { NAMESPACE, startFakeKubernetes, type FakeKubernetes } from '../test/support/fake-kube-api/harness.ts';
import { waitFor } from '../test/support/wait.ts';
import { latencyRow } from './lib/stats.ts';

const HELLO = "print('Hello, World!')";
const iterations = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 4);
const WARMUP = 20;
const never = new AbortController().signal;

/** The runner's real output for hello world, made once. */
function cannedHelloWorld(): { log: string; message: string } {
  const env = {
    PATH: '/usr/bin:/bin',
    RUNNER_CODE_B64: Buffer.from(HELLO).toString('base64'),
    RUNNER_STDIN_B64: '',
    RUNNER_TIMEOUT_SECONDS: '5',
    RUNNER_MEMORY_BYTES: String(128 * 1024 * 1024),
    RUNNER_OUTPUT_BYTES: String(1024 * 1024),
  };
  const log = execFileSync('/usr/bin/python3', ['-I', '-S', '-B', RUNNER_PATH, '--request-env'], { env, encoding: 'utf8' });
  const message = log.trim().split('\n').at(-1) ?? '';
  return { log, message };
}

function row(label: string, samples: readonly number[]): string {
  return latencyRow(label, samples, { labelWidth: 30, decimals: 2 });
}

async function once(k: FakeKubernetes): Promise<number> {
  const start = performance.now();
  const result = await k.executor.run(k.request(HELLO), never);
  const ms = performance.now() - start;
  if (result.output !== 'Hello, World!\n') throw new Error(`unexpected result ${JSON.stringify(result)}`);
  return ms;
}

async function sequential(k: FakeKubernetes, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) samples.push(await once(k));
  return samples;
}

async function parallel(k: FakeKubernetes, count: number, width: number): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        next += 1;
        samples.push(await once(k));
      }
    }),
  );
  return { samples, seconds: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  const canned = cannedHelloWorld();
  const k = await startFakeKubernetes({
    fake: { stepMs: 0 },
    resyncMs: 2000,
    prepare: (api) => (api.scenarioFor = () => scenario({ creatingMs: 0, container: { kind: 'canned', log: canned.log, message: canned.message, exitCode: 0 } })),
  });
  try {
    await sequential(k, WARMUP);
    const before = k.api.requests.length;
    const serial = await sequential(k, iterations);
    const requestsPer = (k.api.requests.length - before) / iterations;
    const { samples: concurrent, seconds } = await parallel(k, iterations, concurrency);
    await waitFor(() => k.api.jobs(NAMESPACE).every((job) => job.metadata.labels?.[OUTCOME_LABEL] === 'ok'), 10_000, 'the outcome labels');

    console.log(`Kubernetes executor overhead per hello-world execution, fake API server (in-process, instant kubelet, no Python)`);
    console.log(`node ${process.version}, ${iterations} executions per row after ${WARMUP} warm-up\n`);
    console.log(`  ${''.padEnd(30)}${['p50', 'p99', 'mean', 'min', 'max'].map((h) => h.padStart(12)).join('')}`);
    console.log(row('sequential', serial));
    console.log(row(`${concurrency} concurrent`, concurrent));
    console.log(`\n  throughput at ${concurrency} concurrent: ${(iterations / seconds).toFixed(0)} executions/s`);
    console.log(`  API requests per execution: ${requestsPer.toFixed(1)} (create, list + watch pods, follow log, list after the log, patch outcome)`);
    const phases = await k.metrics.phase.get();
    const sums = new Map<string, { sum: number; count: number }>();
    for (const value of phases.values) {
      const phase = String(value.labels.phase);
      const entry = sums.get(phase) ?? { sum: 0, count: 0 };
      if (value.metricName?.endsWith('_sum')) entry.sum = value.value;
      if (value.metricName?.endsWith('_count')) entry.count = value.value;
      sums.set(phase, entry);
    }
    const means = ['create', 'schedule', 'start', 'run', 'log'].map((p) => `${p} ${((1000 * (sums.get(p)?.sum ?? 0)) / (sums.get(p)?.count || 1)).toFixed(2)} ms`);
    console.log(`  mean per phase: ${means.join(', ')}`);
  } finally {
    await k.close();
  }
}

await main();
