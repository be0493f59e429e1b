/**
 * End to end on a real cluster (KUBECONFIG; the lab of ../shared/k8slab): the service in-process
 * with the Kubernetes executor, driven over HTTP. The contract's examples, the limits and the
 * hostile corpus, each execution checked down to its Job's outcome label and its pods.
 * Skips only when no cluster is configured; a configured cluster that misbehaves fails.
 */
import { expect } from 'chai';
import PQueue from 'p-queue';
import { timeoutDetail } from '../../src/execution/errors.ts';
import { checkOutcome, loadCorpus, type CorpusCase } from '../corpus/corpus.ts';
import { EXECUTION_ID_LABEL, OUTCOME_LABEL } from '../../src/executors/kubernetes/labels.ts';
import { e2eTarget, type E2eTarget } from '../support/lab/environment.ts';
import { LabCluster } from '../support/lab/cluster.ts';
import { labSettings, startLabService, type LabService, type ServiceResponse } from '../support/lab/service.ts';

const configured = e2eTarget();

/** Corpus cases in flight at once (each is a Job; the lab has 2 cores). */
const CORPUS_CONCURRENCY = 3;

/** Outcome label values, as the executor spells them on the Job. */
type Outcome = 'ok' | 'error' | 'timeout' | 'memory' | 'output-limit';

interface Example {
  readonly title: string;
  readonly code: string;
  readonly stdin?: string;
  readonly output: string;
  readonly error: string | null;
}

/** The examples of ../shared/spec/api.md, with their exact outputs. */
const SPEC_EXAMPLES: readonly Example[] = [
  { title: 'hello world', code: "print('Hello, World!')", output: 'Hello, World!\n', error: null },
  { title: 'a loop', code: 'for i in range(5):\n    print(i)', output: '0\n1\n2\n3\n4\n', error: null },
  { title: 'an f-string', code: 'name = "Alice"\nprint(f"Hello, {name}!")', output: 'Hello, Alice!\n', error: null },
  { title: 'a function', code: 'def add(a, b):\n    return a + b\n\nprint(add(2, 3))\nprint(add(10, 20))', output: '5\n30\n', error: null },
  { title: 'a runtime error', code: 'print(undefined_var)', output: '', error: "NameError: name 'undefined_var' is not defined" },
  { title: 'a syntax error', code: 'for i in range(10)\n    print(i)', output: '', error: "SyntaxError: expected ':' (line 1)" },
  { title: 'a division by zero', code: 'x = 1 / 0', output: '', error: 'ZeroDivisionError: division by zero' },
  { title: 'stdin', code: 'name = input()\nprint(f"Hello, {name}!")', stdin: 'Ada\n', output: 'Hello, Ada!\n', error: null },
];

describe('e2e: the Kubernetes executor on a real cluster, through HTTP', function () {
  this.timeout(120_000);
  let target: E2eTarget;
  let cluster: LabCluster;
  let service: LabService;
  const executions: string[] = [];

  before(async function () {
    if ('skipReason' in configured) {
      console.log(`    e2e skipped: ${configured.skipReason}`);
      this.skip();
    }
    target = configured.target;
    cluster = new LabCluster(target);
    await cluster.checkReachable();
    const sandboxAccount = await cluster.installSandboxPrerequisites();
    service = await startLabService(labSettings(target, sandboxAccount, { MAX_CONCURRENT_EXECUTIONS: '4' }));
  });

  after(async () => {
    await service?.close();
    if (cluster === undefined) return;
    await cluster.deleteExecutions(executions);
    await cluster.removeSandboxPrerequisites();
  });

  /** POSTs one program and records its execution id for the Job checks and the cleanup. */
  async function run(code: string, extra: { stdin?: string; timeout?: number } = {}): Promise<ServiceResponse> {
    const response = await service.execute({ name: 'e2e', data: { code, ...extra } });
    if (typeof response.body.id === 'string') executions.push(response.body.id);
    return response;
  }

  /** The Job of the execution is labelled with `outcome`, and its pods have stopped. */
  async function expectJob(response: ServiceResponse, outcome: Outcome): Promise<void> {
    const id = response.body.id as string;
    expect(id, 'execution id in the response').to.be.a('string');
    expect(await cluster.outcomeOf(id)).to.equal(outcome);
    await cluster.waitForNoRunningPods(id);
  }

  it('is ready: the namespace has the deny-all NetworkPolicy and the credentials may do what the executor needs', async () => {
    const ready = await service.get('/ready');
    expect(ready.status, JSON.stringify(ready.body)).to.equal(200);
    expect(ready.body.executor).to.equal('kubernetes');
  });

  describe("the contract's examples", () => {
    for (const example of SPEC_EXAMPLES) {
      it(`${example.title}: exact output and error`, async () => {
        const response = await run(example.code, example.stdin === undefined ? {} : { stdin: example.stdin });
        expect(response.status, JSON.stringify(response.body)).to.equal(200);
        expect(response.body.name).to.equal('e2e');
        const data = response.body.data as Record<string, unknown>;
        expect({ output: data.output, error: data.error }).to.deep.equal({ output: example.output, error: example.error });
        expect(data.execution_time_ms).to.be.a('number').and.to.be.at.least(0);
        await expectJob(response, example.error === null ? 'ok' : 'error');
      });
    }
  });

  describe('the limits', () => {
    it('answers 408 with the contract detail when the program runs past its timeout', async () => {
      const response = await run('while True:\n    pass', { timeout: 2 });
      expect(response.status).to.equal(408);
      expect(response.body.detail).to.equal('Execution timed out after 2 seconds');
      await expectJob(response, 'timeout');
    });

    it('stops a program at the 128 MiB memory limit', async () => {
      const response = await run('data = bytearray(300 * 1024 * 1024)\nprint(len(data))');
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      const data = response.body.data as Record<string, unknown>;
      expect(data.status).to.equal('memory');
      expect(data.output).to.equal('');
      expect(data.error).to.match(/^MemoryError/);
      await expectJob(response, 'memory');
    });

    it('keeps exactly 1 MiB of output and stops the program', async () => {
      const response = await run("import itertools\nfor i in itertools.count():\n    print('x' * 1023)");
      expect(response.status, JSON.stringify(response.body).slice(0, 300)).to.equal(200);
      const data = response.body.data as { output: string; error: string; status: string };
      expect(data.status).to.equal('output_limit');
      expect(Buffer.byteLength(data.output)).to.equal(1024 * 1024);
      expect(data.output).to.equal(`${'x'.repeat(1023)}\n`.repeat(1024));
      expect(data.error).to.match(/^OutputLimitExceeded/);
      await expectJob(response, 'output-limit');
    });

    it('runs a 64 KiB program (the largest allowed), delivered without any network', async () => {
      const head = 'payload = "';
      const tail = '"\nprint(len(payload))\n';
      const filler = 'y'.repeat(64 * 1024 - head.length - tail.length);
      const code = `${head}${filler}${tail}`;
      expect(Buffer.byteLength(code)).to.equal(65536);
      const response = await run(code);
      expect(response.status, JSON.stringify(response.body).slice(0, 300)).to.equal(200);
      expect((response.body.data as Record<string, unknown>).output).to.equal(`${filler.length}\n`);
      await expectJob(response, 'ok');
    });

    it('refuses a program one byte over 64 KiB before creating any Job', async () => {
      const response = await service.execute({ name: 'e2e', data: { code: `#${'z'.repeat(64 * 1024)}` } });
      expect(response.status).to.equal(422);
      expect(response.body.detail).to.equal('data.code must be at most 65536 bytes of UTF-8');
    });

    it('runs several executions at once, each in its own Job', async () => {
      const responses = await Promise.all([1, 2, 3, 4].map((n) => run(`print(${n} * 11)`)));
      expect(responses.map((r) => (r.body.data as Record<string, unknown>).output)).to.deep.equal(['11\n', '22\n', '33\n', '44\n']);
      const ids = new Set(responses.map((r) => r.body.id));
      expect(ids.size).to.equal(4);
      for (const response of responses) await expectJob(response, 'ok');
    });
  });

  describe('the hostile corpus (test/corpus), each case checked down to its Job', () => {
    const cases = loadCorpus();
    const results = new Map<string, Promise<string[] | Error>>();

    /** Runs one case; resolves with its problems (empty: as expected). */
    async function runCase(testCase: CorpusCase): Promise<string[]> {
      const timeout = testCase.timeoutSeconds ?? service.settings.defaultTimeoutSeconds;
      const response = await run(testCase.code, { stdin: testCase.stdin, timeout });
      let problems: string[];
      let outcome: Outcome;
      if (response.status === 408) {
        // 408 carries {"detail", "id"}: no output or error line to compare.
        problems = response.body.detail === timeoutDetail(timeout) ? [] : [`408 detail: ${String(response.body.detail)}`];
        problems.push(...checkOutcome(testCase, { status: 'timeout', output: '', error: null }, { ignoreOutput: true }).filter((p) => !p.startsWith('error:')));
        outcome = 'timeout';
      } else if (response.status === 200) {
        const data = response.body.data as { status: string; output: string; error: string | null };
        problems = checkOutcome(testCase, data);
        outcome = data.status.replace('_', '-') as Outcome;
      } else {
        return [`HTTP ${response.status}: ${JSON.stringify(response.body)}`];
      }
      const id = response.body.id as string;
      const labelled = await cluster.outcomeOf(id);
      if (labelled !== outcome) problems.push(`Job outcome label: expected ${outcome}, got ${labelled}`);
      await cluster.waitForNoRunningPods(id);
      return problems;
    }

    before(function () {
      this.timeout(30 * 60_000);
      const queue = new PQueue({ concurrency: CORPUS_CONCURRENCY });
      for (const testCase of cases) {
        // Settled into a value: a rejection is reported by the case's own test, never unhandled.
        const result = queue.add(() => runCase(testCase)).then(
          (problems) => problems,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        results.set(testCase.name, result);
      }
    });

    it('has cases in every category', () => {
      expect(new Set(cases.map((c) => c.category)).size).to.equal(6);
      expect(cases.length).to.be.greaterThan(100);
    });

    for (const testCase of cases) {
      it(testCase.name, async function () {
        this.timeout(30 * 60_000);
        const result = await results.get(testCase.name);
        if (result instanceof Error || result === undefined) throw result ?? new Error('not run');
        expect(result, testCase.file).to.deep.equal([]);
      });
    }
  });

  describe('cleanup', () => {
    it('deletes the Job when the client goes away mid-run', async () => {
      const controller = new AbortController();
      const pending = service.execute({ name: 'e2e-abort', data: { code: 'import time\ntime.sleep(8)\nprint("done")', timeout: 10 } }, controller.signal);
      pending.catch(() => undefined);
      // Wait until its Job exists (a sandbox Job named after no execution we know yet).
      const before = new Set(executions);
      const job = await waitForNewSandboxJob(before);
      controller.abort();
      await waitUntilGone(job);
    });

    it('leaves no sandbox pod running once every execution has answered', async () => {
      const deadline = Date.now() + 60_000;
      let running = await cluster.runningSandboxPods();
      while (running.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        running = await cluster.runningSandboxPods();
      }
      expect(running).to.deep.equal([]);
    });
  });

  /** The first sandbox Job whose execution id is not in `known` (the one just requested). */
  async function waitForNewSandboxJob(known: ReadonlySet<string>): Promise<string> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const list = await cluster.batch.listNamespacedJob({ namespace: target.namespace, labelSelector: EXECUTION_ID_LABEL });
      const fresh = list.items.find((job) => {
        const id = job.metadata?.labels?.[EXECUTION_ID_LABEL] ?? '';
        return !known.has(id) && job.metadata?.labels?.[OUTCOME_LABEL] === undefined && job.metadata?.deletionTimestamp === undefined;
      });
      if (fresh?.metadata?.name) return fresh.metadata.name;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('no Job appeared for the aborted execution');
  }

  async function waitUntilGone(jobName: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        await cluster.batch.readNamespacedJob({ name: jobName, namespace: target.namespace });
      } catch (error) {
        if ((error as { code?: number }).code === 404) return;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Job ${jobName} still exists 30 s after the client went away`);
  }
});
