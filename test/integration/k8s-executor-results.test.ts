/**
 * The Kubernetes executor, with the real @kubernetes/client-node over HTTP, against the fake API
 * server whose kubelet runs the REAL runner (/usr/bin/python3 src/runner/runner.py) with each
 * Job's args and environment: results, the Job it leaves (labels, outcome), the calls it makes.
 */
import { expect } from 'chai';
import { buildSandboxJob } from '../../src/executors/kubernetes/jobSpec.ts';
import { EXECUTION_ID_LABEL, OUTCOME_LABEL, SANDBOX_POD_LABELS } from '../../src/executors/kubernetes/labels.ts';
import { REQUIRED_PERMISSIONS } from '../../src/executors/kubernetes/permissions.ts';
import type { KubeObject } from '../support/fake-kube-api/index.ts';
import { NAMESPACE, startFakeKubernetes, type FakeKubernetes } from '../support/fake-kube-api/harness.ts';
import { waitFor } from '../support/wait.ts';

const never = new AbortController().signal;

describe('integration: Kubernetes executor results (fake API server, real runner)', function () {
  this.timeout(20_000);
  let k: FakeKubernetes;

  beforeEach(async () => {
    k = await startFakeKubernetes();
  });
  afterEach(async () => {
    await k.close();
  });

  /** The one Job of the execution, once its outcome label is there. */
  async function labelledJob(id: string, outcome: string): Promise<KubeObject> {
    await waitFor(() => k.api.jobs(NAMESPACE).some((job) => job.metadata.labels?.[OUTCOME_LABEL] !== undefined), 5000, 'the outcome label');
    const jobs = k.api.jobs(NAMESPACE);
    expect(jobs.map((job) => job.metadata.name)).to.deep.equal([id]);
    const job = jobs[0] as KubeObject;
    expect(job.metadata.labels?.[OUTCOME_LABEL]).to.equal(outcome);
    return job;
  }

  it('runs hello world: the output, the pod wait, and a Job kept with outcome ok', async () => {
    const request = k.request("print('Hello, World!')");
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'ok', output: 'Hello, World!\n', error: null });
    expect(result.executionTimeMs).to.be.a('number').within(0, 5000);
    expect(Object.keys(result.details ?? {})).to.deep.equal(['pod_wait_ms']);
    expect(result.details?.pod_wait_ms).to.be.a('number').at.least(0);

    const job = await labelledJob(request.id, 'ok');
    expect(job.metadata.labels).to.deep.equal({ ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: request.id, [OUTCOME_LABEL]: 'ok' });
    // What was created is exactly what the builder makes (the creation-time annotation aside).
    const built = buildSandboxJob(request, k.settings, new Date(job.metadata.annotations?.['learnflow.io/created-at'] ?? ''));
    expect(job.spec).to.deep.equal(JSON.parse(JSON.stringify(built.spec)));
    const pods = k.api.pods(NAMESPACE);
    expect(pods).to.have.length(1);
    expect(pods[0]?.metadata.labels).to.include({ ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: request.id });
  });

  it('reports a runtime error with the output printed before it, outcome error', async () => {
    const request = k.request('print("before")\nprint(undefined_var)');
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'error', output: 'before\n', error: "NameError: name 'undefined_var' is not defined" });
    await labelledJob(request.id, 'error');
  });

  it('reports a syntax error', async () => {
    const result = await k.executor.run(k.request('for i in range(10)\n    print(i)'), never);
    expect(result).to.deep.include({ status: 'error', output: '', error: "SyntaxError: expected ':' (line 1)" });
  });

  it("feeds stdin to input()", async () => {
    const result = await k.executor.run(k.request('name = input()\nprint(f"Hello, {name}!")', { stdin: 'Ada\n' }), never);
    expect(result).to.deep.include({ status: 'ok', output: 'Hello, Ada!\n', error: null });
  });

  it("ends with the runner's own timeout: status timeout, outcome timeout", async () => {
    const request = k.request('print("spinning", flush=True)\nwhile True:\n    pass', { timeoutSeconds: 0.5 });
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'timeout', output: 'spinning\n', error: 'TimeoutError: execution timed out after 0.5 seconds' });
    expect(result.executionTimeMs).to.be.at.least(450);
    await labelledJob(request.id, 'timeout');
  });

  it("reports the runner's MemoryError as status memory, outcome memory", async () => {
    const request = k.request('x = bytearray(512 * 1024 * 1024)');
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'memory', output: '', error: 'MemoryError: the program exceeded the memory limit of 128 MB' });
    await labelledJob(request.id, 'memory');
  });

  it('stops at the output limit: status output_limit, outcome output-limit', async () => {
    await k.close();
    k = await startFakeKubernetes({ env: { OUTPUT_LIMIT_BYTES: '1024' } });
    const request = k.request('for i in range(1000):\n    print("x" * 50)');
    const result = await k.executor.run(request, never);
    expect(result.status).to.equal('output_limit');
    expect(result.error).to.equal('OutputLimitExceeded: output exceeded the limit of 1 KB');
    expect(result.output).to.equal(`${'x'.repeat(50)}\n`.repeat(40).slice(0, 1024));
    await labelledJob(request.id, 'output-limit');
  });

  it('a program that flushes one character at a time: all of its output, exactly (the log stays within its bound)', async () => {
    await k.close();
    k = await startFakeKubernetes({ env: { OUTPUT_LIMIT_BYTES: String(64 * 1024) } });
    // Control characters are the dearest to frame: 6 JSON bytes each.
    const code = 'import sys\nfor i in range(65536):\n    sys.stdout.write("\\x01" if i % 2 else "a")\n    sys.stdout.flush()';
    const request = k.request(code);
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'ok', output: 'a\u0001'.repeat(32768), error: null });
    await labelledJob(request.id, 'ok');
  });

  it('delivers a 64 KiB program and 64 KiB of stdin in the environment (within exec and object limits)', async () => {
    const line = '# padding to reach the size limit of the program, sixty-four KiB #\n';
    const tail = 'import sys\ndata = input()\nprint(len(data), data[:5])\n';
    const padding = line.repeat(Math.floor((65536 - tail.length) / line.length));
    const code = `${padding}${'#'.repeat(65536 - tail.length - padding.length - 1)}\n${tail}`;
    expect(Buffer.byteLength(code)).to.equal(65536);
    const stdin = `${'é'.repeat(32767)}\n`; // 65535 bytes of UTF-8 (two bytes each) plus the newline
    expect(Buffer.byteLength(stdin)).to.equal(65535);
    const request = k.request(code, { stdin });
    const result = await k.executor.run(request, never);
    expect(result).to.deep.include({ status: 'ok', output: '32767 ééééé\n', error: null });

    const job = k.api.jobs(NAMESPACE)[0] as KubeObject;
    const env = (job.spec as { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }).template.spec.containers[0]?.env ?? [];
    const codeVar = env.find((e) => e.name === 'RUNNER_CODE_B64')?.value ?? '';
    expect(Buffer.from(codeVar, 'base64').toString('utf8')).to.equal(code);
    // Each variable ("NAME=value") stays under Linux's 128 KiB per-string exec limit (MAX_ARG_STRLEN).
    for (const { name, value } of env) expect(Buffer.byteLength(`${name}=${value}`), name).to.be.below(128 * 1024);
    expect(Buffer.byteLength(JSON.stringify(job))).to.be.below(1.5 * 1024 * 1024);
  });

  it('calls only what REQUIRED_PERMISSIONS grants (the chart Role is checked against the same list)', async () => {
    const request = k.request("print('ok')");
    await k.executor.run(request, never);
    await labelledJob(request.id, 'ok');
    const granted = new Set(REQUIRED_PERMISSIONS.flatMap((p) => p.verbs.map((verb) => `${verb} ${p.apiGroup}/${p.resource}`)));
    granted.add('create authorization.k8s.io/selfsubjectaccessreviews'); // allowed to every authenticated user
    const made = new Set(k.api.requests.map((r) => `${r.verb} ${r.apiGroup}/${r.resource}`));
    expect([...made].filter((call) => !granted.has(call))).to.deep.equal([]);
    for (const call of ['create batch/jobs', 'list /pods', 'watch /pods', 'get /pods/log', 'patch batch/jobs', 'list batch/jobs', 'list networking.k8s.io/networkpolicies']) {
      expect(made, call).to.include(call);
    }
    expect(k.api.requests.every((r) => r.namespace === NAMESPACE || r.resource === 'selfsubjectaccessreviews')).to.equal(true);
  });

  it('exports the per-phase latencies: create, schedule, start, run, log', async () => {
    await k.executor.run(k.request("print('phases')"), never);
    const metric = await k.metrics.registry.getSingleMetricAsString('code_execution_phase_seconds');
    for (const phase of ['create', 'schedule', 'start', 'run', 'log']) {
      expect(metric, phase).to.match(new RegExp(`code_execution_phase_seconds_count\\{phase="${phase}"\\} 1$`, 'm'));
    }
  });

  it('runs executions concurrently, each with its own Job and result', async () => {
    const requests = [0, 1, 2, 3].map((n) => k.request(`print(${n} * 7)`));
    const results = await Promise.all(requests.map((request) => k.executor.run(request, never)));
    expect(results.map((r) => r.output)).to.deep.equal(['0\n', '7\n', '14\n', '21\n']);
    await waitFor(() => k.api.jobs(NAMESPACE).filter((job) => job.metadata.labels?.[OUTCOME_LABEL] === 'ok').length === 4);
    expect(k.api.jobs(NAMESPACE).map((job) => job.metadata.name).sort()).to.deep.equal(requests.map((r) => r.id).sort());
  });
});
