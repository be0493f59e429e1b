/**
 * `make bench-k8s`: hello-world on a real cluster (KUBECONFIG, e.g. the lab), two ways, in the
 * same run and interleaved so both see the same cluster:
 *   service  POST /items to the service in-process (Kubernetes executor), over HTTP;
 *   kubectl  the same Job (buildSandboxJob) with kubectl: create -> wait complete -> logs.
 * Prints p50/p99 of each and the executor's per-phase latencies. Figures, never assertions.
 * Usage: node bench/k8s-lab.ts [iterations=30]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildSandboxJob, jobNameFor } from '../src/executors/kubernetes/jobSpec.ts';
import { toolPath } from '../scripts/lib/chart.ts';
import { LabCluster } from '../test/support/lab/cluster.ts';
import { e2eTarget } from '../test/support/lab/environment.ts';
import { labSettings, startLabService, type LabService } from '../test/support/lab/service.ts';
import type { Settings } from '../src/config/settings.ts';
import { latencyRow } from './lib/stats.ts';

const HELLO = "print('Hello, World!')";
const iterations = Number(process.argv[2] ?? 30);
const WARMUP = 2;

function summary(label: string, samples: readonly number[]): string {
  return latencyRow(label, samples, { labelWidth: 34, decimals: 0 });
}

/** One hello-world through the service; returns its wall time in ms and the execution id. */
async function viaService(service: LabService): Promise<{ ms: number; id: string }> {
  const start = performance.now();
  const response = await service.execute({ name: 'bench', data: { code: HELLO } });
  const ms = performance.now() - start;
  const data = response.body.data as { output?: string } | undefined;
  if (response.status !== 200 || data?.output !== 'Hello, World!\n') throw new Error(`service answered ${response.status} ${JSON.stringify(response.body)}`);
  return { ms, id: response.body.id as string };
}

/** The same Job through kubectl: create, wait for Complete, read the logs. */
function viaKubectl(settings: Settings, kubectl: string): { ms: number; id: string } {
  const id = `bk${randomBytes(6).toString('hex')}`;
  const job = buildSandboxJob({ id, name: 'bench-kubectl', code: HELLO, stdin: '', timeoutSeconds: settings.defaultTimeoutSeconds }, settings, new Date());
  const ns = ['-n', settings.k8sNamespace];
  const start = performance.now();
  const created = spawnSync(kubectl, ['create', ...ns, '-f', '-', '-o', 'name'], { input: JSON.stringify(job), encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`kubectl create: ${created.stderr}`);
  execFileSync(kubectl, ['wait', ...ns, '--for=condition=complete', '--timeout=60s', `job/${jobNameFor(id)}`], { encoding: 'utf8' });
  const logs = execFileSync(kubectl, ['logs', ...ns, `job/${jobNameFor(id)}`], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (!logs.includes('Hello, World!')) throw new Error(`unexpected logs: ${logs}`);
  return { ms, id };
}

async function phaseMeans(service: LabService): Promise<string[]> {
  const metric = await service.metrics.phase.get();
  const sums = new Map<string, { sum: number; count: number }>();
  for (const value of metric.values) {
    const phase = String(value.labels.phase);
    const entry = sums.get(phase) ?? { sum: 0, count: 0 };
    if (value.metricName?.endsWith('_sum')) entry.sum = value.value;
    if (value.metricName?.endsWith('_count')) entry.count = value.value;
    sums.set(phase, entry);
  }
  return [...sums].map(([phase, { sum, count }]) => `  ${phase.padEnd(10)} ${count > 0 ? ((sum / count) * 1000).toFixed(0).padStart(6) : '     -'} ms  (${count} samples)`);
}

async function main(): Promise<void> {
  const configured = e2eTarget();
  if ('skipReason' in configured) {
    console.error(`bench-k8s needs a cluster: ${configured.skipReason}`);
    process.exit(2);
  }
  const cluster = new LabCluster(configured.target);
  await cluster.checkReachable();
  const sandboxAccount = await cluster.installSandboxPrerequisites();
  const settings = labSettings(configured.target, sandboxAccount, { MAX_CONCURRENT_EXECUTIONS: '1' });
  const service = await startLabService(settings);
  const kubectl = toolPath('kubectl');
  const ids: string[] = [];
  const serviceMs: number[] = [];
  const kubectlMs: number[] = [];
  try {
    console.log(`hello-world on ${configured.target.kubeconfig}, namespace ${settings.k8sNamespace}, image ${settings.k8sRunnerImage}`);
    console.log(`${iterations} iterations (+${WARMUP} warm-up), one at a time, service and kubectl interleaved\n`);
    for (let i = 0; i < iterations + WARMUP; i += 1) {
      const a = await viaService(service);
      const b = viaKubectl(settings, kubectl);
      ids.push(a.id, b.id);
      if (i >= WARMUP) {
        serviceMs.push(a.ms);
        kubectlMs.push(b.ms);
      }
    }
    console.log(`  ${''.padEnd(34)}${['p50', 'p99', 'mean', 'min', 'max'].map((h) => h.padStart(10)).join('')}`);
    console.log(summary('service (HTTP, Kubernetes executor)', serviceMs));
    console.log(summary('kubectl create/wait/logs', kubectlMs));
    console.log('\nexecutor phases (mean, from /metrics):');
    for (const line of await phaseMeans(service)) console.log(line);
  } finally {
    await service.close();
    await cluster.deleteExecutions(ids);
    await cluster.removeSandboxPrerequisites();
  }
}

await main();
