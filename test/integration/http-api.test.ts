/**
 * The HTTP API on the REAL local executor (bubblewrap + /usr/bin/python3): every example of the
 * spec with its exact output, the timeout, every bad input, overload, client disconnect, parallel
 * requests and the hostile corpus. The sandbox must be available: when it is not, these tests fail
 * (they never skip).
 */
import { expect } from 'chai';
import type http from 'node:http';
import request from 'supertest';
import type { Settings } from '../../src/config/settings.ts';
import type { Executor } from '../../src/execution/executor.ts';
import { timeoutDetail } from '../../src/execution/errors.ts';
import { createLocalExecutor } from '../../src/executors/local/index.ts';
import { checkOutcome, loadCorpus } from '../corpus/corpus.ts';
import { descendants } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';
import { answer, buildTestApp, serverFor, testSettings, testTelemetry, type TestApp } from '../support/testApp.ts';

/** A running service built like main.ts builds it, served without a port by supertest. */
interface Service extends TestApp {
  readonly executor: Executor;
  readonly server: http.Server;
}

/** Starts a local executor and the app around it; fails when the strict sandbox is not available. */
async function startService(overrides: Partial<Settings> = {}): Promise<Service> {
  const settings = testSettings(overrides);
  const telemetry = testTelemetry(settings);
  const executor = createLocalExecutor({ settings, logger: telemetry.logger, metrics: telemetry.metrics });
  await executor.start();
  const readiness = await executor.readiness();
  expect(readiness.ready, `the local sandbox is not available: ${readiness.reason}`).to.equal(true);
  expect(readiness.details?.mode).to.equal('strict');
  const testApp = buildTestApp(executor, overrides, telemetry);
  return { ...testApp, executor, server: serverFor(testApp.app) };
}

async function stopService(service: Service | undefined): Promise<void> {
  if (service === undefined) return;
  service.server.closeAllConnections();
  service.server.close();
  await service.executor.close();
}

const ordinary = { name: 'ordinary', data: { code: "print('still fine')" } };

describe('HTTP API with the local executor (integration)', function () {
  this.timeout(60_000);
  let service: Service;

  before(async () => {
    service = await startService();
  });

  after(async () => {
    await stopService(service);
  });

  const post = (path = '/api/execute/items') => request(service.server).post(path);

  describe('the examples of the spec, verbatim', () => {
    it('POST /items: the request body of the spec gives "Hello, World!\\n"', async () => {
      const res = await post('/items')
        .send({ name: 'execution-request', data: { code: "print('Hello, World!')", timeout: 5 } })
        .expect(200);
      const { id, data } = answer(res);
      expect(id).to.match(/^[a-z][a-z0-9-]{0,39}$/);
      expect(res.body).to.deep.equal({
        id,
        name: 'execution-request',
        data: { output: 'Hello, World!\n', error: null, execution_time_ms: data.execution_time_ms, status: 'ok' },
      });
      expect(data.execution_time_ms).to.be.a('number').and.to.be.at.least(0).and.below(5000);
    });

    it('runtime error: NameError, nothing printed', async () => {
      const res = await post().send({ name: 'execution-request', data: { code: 'print(undefined_var)' } }).expect(200);
      expect(answer(res).data).to.deep.include({ output: '', error: "NameError: name 'undefined_var' is not defined", status: 'error' });
    });

    it('basic execution: the loop prints 0..4', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .send('{\n    "name": "test",\n    "data": {\n      "code": "for i in range(5):\\n    print(i)"\n    }\n  }')
        .expect(200);
      expect(answer(res).name).to.equal('test');
      expect(answer(res).data).to.deep.include({ output: '0\n1\n2\n3\n4\n', error: null });
    });

    it('with user input simulation: the f-string greets Alice', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .send('{\n    "name": "test",\n    "data": {\n      "code": "name = \\"Alice\\"\\nprint(f\\"Hello, {name}!\\")"\n    }\n  }')
        .expect(200);
      expect(answer(res).data).to.deep.include({ output: 'Hello, Alice!\n', error: null });
    });

    it('testing a function: add() prints 5 and 30', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .send(
          '{\n    "name": "test",\n    "data": {\n      "code": "def add(a, b):\\n    return a + b\\n\\nprint(add(2, 3))\\nprint(add(10, 20))"\n    }\n  }',
        )
        .expect(200);
      expect(answer(res).data).to.deep.include({ output: '5\n30\n', error: null });
    });

    it("syntax error: SyntaxError: expected ':' (line 1)", async () => {
      const code = 'for i in range(10)  # Missing colon\n    print(i)';
      const res = await post().send({ name: 'test', data: { code } }).expect(200);
      expect(answer(res).data).to.deep.include({ output: '', error: "SyntaxError: expected ':' (line 1)", status: 'error' });
    });

    it('runtime error: ZeroDivisionError: division by zero', async () => {
      const res = await post().send({ name: 'test', data: { code: 'x = 1 / 0' } }).expect(200);
      expect(answer(res).data).to.deep.include({ output: '', error: 'ZeroDivisionError: division by zero', status: 'error' });
    });

    it('input() reads stdin', async () => {
      const res = await post().send({ name: 'test', data: { code: 'name = input()\nprint(f"Hello, {name}!")', stdin: 'Alice\n' } }).expect(200);
      expect(answer(res).data).to.deep.include({ output: 'Hello, Alice!\n', error: null });
    });

    it('timeout: 408 {"detail": "Execution timed out after 1 seconds", "id"} for an endless loop', async () => {
      const res = await post().send({ name: 'test', data: { code: 'while True: pass', timeout: 1 } }).expect(408);
      expect(res.body).to.deep.equal({ detail: 'Execution timed out after 1 seconds', id: answer(res).id });
      await post().send(ordinary).expect(200);
    });

    for (const path of ['/health', '/api/execute/health']) {
      it(`GET ${path}`, async () => {
        const res = await request(service.server).get(path).expect(200);
        expect(res.body).to.deep.equal({ status: 'healthy', service: 'code-execution-service' });
      });
    }

    it('GET /ready states the sandbox in use', async () => {
      const res = await request(service.server).get('/api/execute/ready').expect(200);
      expect(res.body).to.include({ status: 'ready', executor: 'local', isolation: 'bubblewrap', mode: 'strict' });
    });
  });

  describe('bad input, with its exact status and a detail', () => {
    const cases: [string, () => request.Test, number, string | RegExp][] = [
      ['malformed JSON', () => post().set('Content-Type', 'application/json').send('{"name": "x", "data": {"code": '), 400, /^request body is not valid JSON/],
      ['timeout above the maximum', () => post().send({ name: 't', data: { code: 'pass', timeout: 11 } }), 422, 'data.timeout must be less than or equal to 10'],
      ['timeout of zero', () => post().send({ name: 't', data: { code: 'pass', timeout: 0 } }), 422, 'data.timeout must be greater than 0'],
      ['timeout as a string', () => post().send({ name: 't', data: { code: 'pass', timeout: '5' } }), 422, 'data.timeout must be a number'],
      ['missing code', () => post().send({ name: 't', data: {} }), 422, 'data.code is required'],
      ['empty code', () => post().send({ name: 't', data: { code: '' } }), 422, 'data.code must not be empty'],
      ['code over 64 KiB', () => post().send({ name: 't', data: { code: `#${'x'.repeat(64 * 1024)}` } }), 422, 'data.code must be at most 65536 bytes of UTF-8'],
      ['stdin over 64 KiB', () => post().send({ name: 't', data: { code: 'pass', stdin: 'x'.repeat(64 * 1024 + 1) } }), 422, 'data.stdin must be at most 65536 bytes of UTF-8'],
      ['missing name', () => post().send({ data: { code: 'pass' } }), 422, 'name is required'],
      ['missing data', () => post().send({ name: 't' }), 422, 'data is required'],
      ['body too large', () => post().send({ name: 't', data: { code: 'x'.repeat(300 * 1024) } }), 413, 'request body is larger than 262144 bytes'],
      ['wrong content type', () => post().set('Content-Type', 'text/plain').send('print(1)'), 415, 'Content-Type must be application/json'],
      ['unknown path', () => request(service.server).get('/api/execute/nothing-here'), 404, 'no route for GET /api/execute/nothing-here'],
      ['wrong method', () => request(service.server).put('/items'), 405, 'method PUT is not allowed on /items; allowed: POST'],
    ];
    for (const [what, send, status, detail] of cases) {
      it(`${status}: ${what}`, async () => {
        const res = await send().expect(status).expect('Content-Type', /application\/json/);
        if (typeof detail === 'string') expect(res.body).to.deep.equal({ detail });
        else expect(answer(res).detail).to.match(detail);
      });
    }

    it('the service still runs code after all of them', async () => {
      const res = await post().send(ordinary).expect(200);
      expect(answer(res).data).to.include({ output: 'still fine\n' });
    });
  });

  it('answers 20 parallel requests, each with its own output', async () => {
    const requests = Array.from({ length: 20 }, (_, i) =>
      post().send({ name: `parallel-${i}`, data: { code: `print(${i} * 7)\nprint("done ${i}")` } }),
    );
    const answers = (await Promise.all(requests)).map((res) => ({ status: res.status, ...answer(res) }));
    answers.forEach((a, i) => {
      expect(a.status, `request ${i}`).to.equal(200);
      expect(a.name).to.equal(`parallel-${i}`);
      expect(a.data).to.deep.include({ output: `${i * 7}\ndone ${i}\n`, error: null, status: 'ok' });
    });
    expect(new Set(answers.map((a) => a.id)).size).to.equal(20);
  });

  it('GET /metrics counts the executions by outcome', async () => {
    const counter = async (outcome: string): Promise<number> => {
      const res = await request(service.server).get('/metrics').expect(200);
      const line = new RegExp(`^code_execution_executions_total\\{executor="local",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(res.text);
      return Number(line?.[1] ?? 0);
    };
    const [ok, error] = [await counter('ok'), await counter('error')];
    await post().send(ordinary).expect(200);
    await post().send({ name: 'm', data: { code: 'x = 1 / 0' } }).expect(200);
    expect(await counter('ok')).to.equal(ok + 1);
    expect(await counter('error')).to.equal(error + 1);
    const res = await request(service.server).get('/api/execute/metrics').expect(200);
    expect(res.text).to.match(/^code_execution_duration_seconds_count\{executor="local",outcome="ok"\} \d+$/m);
    expect(res.text).to.match(/^code_execution_in_flight 0$/m);
    expect(res.text).to.match(/^code_execution_queued 0$/m);
  });

  it('GET /openapi.json states the limits the service enforces', async () => {
    const res = await request(service.server).get('/api/execute/openapi.json').expect(200);
    const text = JSON.stringify(res.body);
    expect(text).to.include('"maximum":10').and.include('"x-max-bytes":65536').and.include('"default":5');
  });

  it('logs each execution with its id, never its code', async () => {
    const res = await post().send({ name: 'logged', data: { code: 'print("a rather unusual line 9731")' } }).expect(200);
    const lines = service.logs.filter((line) => line.executionId === answer(res).id);
    expect(lines.map((line) => line.msg)).to.deep.equal(['execution requested', 'execution finished']);
    expect(JSON.stringify(service.logs)).not.to.include('unusual line 9731');
  });

  describe('the hostile corpus through HTTP, each case followed by an ordinary request', () => {
    for (const testCase of loadCorpus()) {
      it(testCase.name, async () => {
        const timeout = testCase.timeoutSeconds ?? service.settings.defaultTimeoutSeconds;
        const res = await post().send({ name: testCase.name, data: { code: testCase.code, stdin: testCase.stdin, timeout } });
        let problems: string[];
        if (res.status === 408) {
          // The 408 answer is {"detail", "id"}: it carries no output and no error line to compare.
          expect(res.body).to.deep.equal({ detail: timeoutDetail(timeout), id: answer(res).id });
          problems = checkOutcome(testCase, { status: 'timeout', output: '', error: null }, { ignoreOutput: true }).filter(
            (problem) => !problem.startsWith('error:'),
          );
        } else {
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          const data = answer(res).data as { status: string; output: string; error: string | null };
          problems = checkOutcome(testCase, data);
        }
        expect(problems, testCase.file).to.deep.equal([]);
        const next = await post().send(ordinary).expect(200);
        expect(answer(next).data).to.include({ output: 'still fine\n', error: null });
      });
    }
  });

  describe('overload and disconnects', () => {
    let small: Service | undefined;

    afterEach(async () => {
      await stopService(small);
      small = undefined;
    });

    it('429 with Retry-After when every slot and the queue are taken; the admitted ones finish', async () => {
      small = await startService({ maxConcurrentExecutions: 1, maxQueuedExecutions: 1, retryAfterSeconds: 2 });
      const slow = { name: 'slow', data: { code: 'import time\ntime.sleep(1.5)\nprint("slept")', timeout: 5 } };
      const server = small.server;
      const admission = small.admission;
      const first = request(server).post('/items').send(slow).then((r) => r);
      await waitFor(() => admission.running === 1);
      const second = request(server).post('/items').send(slow).then((r) => r);
      await waitFor(() => admission.queued === 1);
      const refused = await request(server).post('/items').send(ordinary).expect(429).expect('Retry-After', '2');
      expect(refused.body).to.deep.equal({ detail: 'too many executions in progress; retry later' });
      for (const res of await Promise.all([first, second])) {
        expect(res.status).to.equal(200);
        expect(answer(res).data).to.include({ output: 'slept\n' });
      }
      await request(server).post('/items').send(ordinary).expect(200);
    });

    it('a client disconnect stops the running sandbox: its processes are gone', async () => {
      small = await startService();
      const server = small.server;
      const before = descendants().length;
      const pending = request(server).post('/items').send({ name: 'long', data: { code: 'import time\ntime.sleep(8)', timeout: 10 } });
      const settled = pending.then(
        () => 'answered',
        () => 'aborted',
      );
      // bwrap, the runner's supervisor and the learner's program (python3.11 on Debian 12).
      const sandbox = (): number => descendants().filter((p) => p.command === 'bwrap' || p.command.startsWith('python3')).length;
      await waitFor(() => sandbox() >= 3, 5000);
      expect(descendants().length).to.be.greaterThan(before);
      pending.abort();
      expect(await settled).to.equal('aborted');
      await waitFor(() => descendants().length === before, 5000);
      expect(sandbox()).to.equal(0);
      await waitFor(() => small!.admission.running === 0);
      const line = small.logs.find((l) => l.msg === 'execution failed');
      expect(line).to.include({ outcome: 'aborted' });
      const metrics = await request(server).get('/metrics').expect(200);
      expect(metrics.text).to.include('code_execution_executions_total{executor="local",outcome="aborted"} 1');
      await request(server).post('/items').send(ordinary).expect(200);
    });
  });
});
