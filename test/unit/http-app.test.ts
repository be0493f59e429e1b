/**
 * The HTTP layer against a scripted executor: every status the contract names, the error
 * mapping, ids, logs and metrics. test/integration/http-api.test.ts runs the same API on the
 * real local executor.
 */
import { expect } from 'chai';
import type http from 'node:http';
import request from 'supertest';
import { requestRulesFromSettings } from '../../src/http/executeRequest.ts';
import { isExecutionId } from '../../src/http/executionId.ts';
import { buildOpenApiDocument } from '../../src/http/openapi.ts';
import { API_VERSION } from '../../src/http/app.ts';
import { ScriptedExecutor } from '../support/scriptedExecutor.ts';
import { waitFor } from '../support/wait.ts';
import { answer, buildTestApp, serverFor, type TestApp } from '../support/testApp.ts';

const body = (code: string, data: Record<string, unknown> = {}): object => ({ name: 'unit', data: { code, ...data } });

describe('HTTP app (scripted executor)', () => {
  let executor: ScriptedExecutor;
  let t: TestApp;
  /** One server per test: supertest closes its own only when a request completes, not when it is aborted. */
  let server: http.Server;
  const post = (path = '/items') => request(server).post(path);

  beforeEach(() => {
    executor = new ScriptedExecutor();
    t = buildTestApp(executor, { maxConcurrentExecutions: 1, maxQueuedExecutions: 1, retryAfterSeconds: 3 });
    server = serverFor(t.app);
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  describe('probes', () => {
    for (const path of ['/health', '/api/execute/health']) {
      it(`GET ${path} answers exactly the contract's body`, async () => {
        const res = await request(t.app.callback()).get(path).expect(200).expect('Content-Type', /application\/json/);
        expect(res.body).to.deep.equal({ status: 'healthy', service: 'code-execution-service' });
      });
    }

    it('GET /ready: 200 with the executor and its readiness details', async () => {
      const res = await request(t.app.callback()).get('/api/execute/ready').expect(200);
      expect(res.body).to.deep.equal({ status: 'ready', executor: 'scripted', reason: 'scripted executor', isolation: 'none' });
    });

    it('GET /ready: 503 with the reason when the executor cannot run code, and POST /items is refused the same way', async () => {
      executor.readiness_ = { ready: false, reason: 'bubblewrap cannot create a network namespace' };
      const ready = await request(t.app.callback()).get('/ready').expect(503);
      expect(ready.body).to.deep.equal({ detail: 'bubblewrap cannot create a network namespace' });
      const run = await post().send(body('# ok')).expect(503);
      expect(run.body).to.deep.equal({ detail: 'bubblewrap cannot create a network namespace' });
      expect(executor.started).to.have.length(0);
    });

    it('GET /ready: 503 while the service drains for shutdown', async () => {
      await t.admission.drain('The service is shutting down', 0);
      const res = await request(t.app.callback()).get('/ready').expect(503);
      expect(res.body).to.deep.equal({ detail: 'The service is shutting down' });
    });

    it('GET /openapi.json serves the document built from the settings', async () => {
      const res = await request(t.app.callback()).get('/openapi.json').expect(200);
      expect(res.body).to.deep.equal(buildOpenApiDocument(requestRulesFromSettings(t.settings), API_VERSION));
    });
  });

  describe('POST /items', () => {
    it('200: id, name and data (status and executor details are additive)', async () => {
      const res = await post('/api/execute/items').send(body('# ok')).expect(200).expect('Content-Type', /application\/json/);
      expect(isExecutionId(answer(res).id)).to.equal(true);
      expect(res.body).to.deep.equal({
        id: answer(res).id,
        name: 'unit',
        data: { output: 'ran unit\n', error: null, execution_time_ms: 7, status: 'ok', pod_wait_ms: 3 },
      });
      expect(executor.started[0]).to.deep.include({ id: answer(res).id, name: 'unit', code: '# ok', stdin: '', timeoutSeconds: 5 });
    });

    it('200 for a runtime error, with the error line', async () => {
      const res = await post().send(body('# error')).expect(200);
      expect(answer(res).data).to.include({ error: "NameError: name 'x' is not defined", status: 'error' });
    });

    it('gives every execution its own DNS-label id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i += 1) ids.add(answer(await post().send(body('# ok')).expect(200)).id);
      expect(ids.size).to.equal(20);
      for (const id of ids) expect(id).to.match(/^[a-z][a-z0-9-]*$/).and.have.length.at.most(40);
    });

    it('408 with the requested timeout written as in the contract, and the id', async () => {
      const res = await post().send(body('# timeout', { timeout: 5 })).expect(408);
      expect(res.body).to.deep.equal({ detail: 'Execution timed out after 5 seconds', id: answer(res).id });
      expect(isExecutionId(answer(res).id)).to.equal(true);
      const fractional = await post().send(body('# timeout', { timeout: 2.5 })).expect(408);
      expect(answer(fractional).detail).to.equal('Execution timed out after 2.5 seconds');
      const written = await post().set('Content-Type', 'application/json').send('{"name": "t", "data": {"code": "# timeout", "timeout": 5.0}}').expect(408);
      expect(answer(written).detail, 'a JSON 5.0 is the number 5').to.equal('Execution timed out after 5 seconds');
      const byDefault = await post().send(body('# timeout')).expect(408);
      expect(answer(byDefault).detail).to.equal('Execution timed out after 5 seconds');
    });

    it('passes stdin through', async () => {
      await post().send(body('# ok', { stdin: 'Alice\n' })).expect(200);
      expect(executor.started[0]?.stdin).to.equal('Alice\n');
    });
  });

  describe('bad input: always JSON {"detail"}', () => {
    it('400 malformed JSON', async () => {
      const res = await post().set('Content-Type', 'application/json').send('{"name": "x", "data": {').expect(400);
      expect(answer(res).detail).to.match(/^request body is not valid JSON/);
    });

    it('400 a JSON scalar (the parser only takes objects and arrays)', async () => {
      const res = await post().set('Content-Type', 'application/json').send('"print(1)"').expect(400);
      expect(answer(res).detail).to.equal('request body is not valid JSON (invalid JSON, only supports object and array)');
    });

    it('422 a field that breaks a rule, naming the field and the rule', async () => {
      const res = await post().send(body('print(1)', { timeout: 11 })).expect(422);
      expect(res.body).to.deep.equal({ detail: 'data.timeout must be less than or equal to 10' });
    });

    it('422 an empty body declared as JSON, listing the missing fields', async () => {
      const res = await post().set('Content-Type', 'application/json; charset=utf-8').expect(422);
      expect(res.body).to.deep.equal({ detail: 'name is required; data is required' });
    });

    it('422 a JSON array body', async () => {
      const res = await post().send([1, 2]).expect(422);
      expect(res.body).to.deep.equal({ detail: 'request body must be a JSON object' });
    });

    it('413 a body over bodyLimitBytes', async () => {
      const res = await post().send(body(`#${'x'.repeat(t.settings.bodyLimitBytes)}`)).expect(413);
      expect(res.body).to.deep.equal({ detail: `request body is larger than ${t.settings.bodyLimitBytes} bytes` });
    });

    it('415 a body that is not declared as JSON, or no content type', async () => {
      const text = await post().set('Content-Type', 'text/plain').send(JSON.stringify(body('print(1)'))).expect(415);
      expect(text.body).to.deep.equal({ detail: 'Content-Type must be application/json' });
      const form = await post().type('form').send({ name: 'x' }).expect(415);
      expect(form.body).to.deep.equal({ detail: 'Content-Type must be application/json' });
      const none = await post().expect(415);
      expect(none.body).to.deep.equal({ detail: 'Content-Type must be application/json' });
    });

    it('404 an unknown path', async () => {
      const res = await request(t.app.callback()).get('/nope').expect(404).expect('Content-Type', /application\/json/);
      expect(res.body).to.deep.equal({ detail: 'no route for GET /nope' });
    });

    it('405 a wrong method, with Allow', async () => {
      const get = await request(t.app.callback()).get('/api/execute/items').expect(405).expect('Allow', 'POST');
      expect(get.body).to.deep.equal({ detail: 'method GET is not allowed on /api/execute/items; allowed: POST' });
      const del = await request(t.app.callback()).delete('/health').expect(405).expect('Allow', 'HEAD, GET');
      expect(answer(del).detail).to.equal('method DELETE is not allowed on /health; allowed: HEAD, GET');
    });
  });

  describe('execution failures', () => {
    it('503 when the executor cannot run the program, with its reason', async () => {
      const res = await post().send(body('# unavailable')).expect(503);
      expect(res.body).to.deep.equal({ detail: 'image pull failed: no such image' });
    });

    it('502 when the execution was stopped from outside', async () => {
      const res = await post().send(body('# interrupted')).expect(502);
      expect(res.body).to.deep.equal({ detail: 'the Job was deleted from outside' });
    });

    it('500 with a generic detail and no internals for anything unexpected; the error is logged', async () => {
      const res = await post().send(body('# crash')).expect(500);
      expect(res.body).to.deep.equal({ detail: 'internal server error' });
      expect(res.text).not.to.include('secret');
      const logged = t.logs.find((line) => line.msg === 'unexpected error');
      expect(logged?.executionId).to.equal(executor.started[0]?.id);
      expect(JSON.stringify(logged)).to.include('secret internal detail');
    });

    it('429 with Retry-After when every slot and the queue are taken', async () => {
      const first = post().send(body('# hold')).then((r) => r);
      await waitFor(() => executor.running === 1);
      const second = post().send(body('# hold')).then((r) => r);
      await waitFor(() => t.admission.queued === 1);
      const refused = await post().send(body('# ok')).expect(429).expect('Retry-After', '3');
      expect(refused.body).to.deep.equal({ detail: 'too many executions in progress; retry later' });
      executor.release(executor.heldIds[0]!);
      await waitFor(() => executor.heldIds.length === 1);
      executor.release(executor.heldIds[0]!);
      expect((await first).status).to.equal(200);
      expect((await second).status).to.equal(200);
    });

    it('aborts the running execution when the client disconnects', async () => {
      const pending = post().send(body('# hold'));
      const settled = pending.then(
        () => 'answered',
        () => 'aborted',
      );
      await waitFor(() => executor.running === 1);
      pending.abort();
      expect(await settled).to.equal('aborted');
      await waitFor(() => executor.aborted.length === 1);
      await waitFor(() => t.admission.running === 0);
      const line = t.logs.find((l) => l.msg === 'execution failed');
      expect(line).to.include({ outcome: 'aborted', executionId: executor.aborted[0] });
    });

    it('takes a queued execution out of the queue when its client disconnects', async () => {
      const first = post().send(body('# hold')).then((r) => r);
      await waitFor(() => executor.running === 1);
      const queued = post().send(body('# hold'));
      const settled = queued.then(
        () => 'answered',
        () => 'aborted',
      );
      await waitFor(() => t.admission.queued === 1);
      queued.abort();
      expect(await settled).to.equal('aborted');
      await waitFor(() => t.admission.queued === 0);
      executor.release(executor.heldIds[0]!);
      expect((await first).status).to.equal(200);
      expect(executor.started).to.have.length(1);
    });
  });

  describe('logs and metrics', () => {
    it('logs one line at the start and one at the end, with the execution id, never the code', async () => {
      const secretCode = '# ok\nprint("a very particular program 1234")';
      const res = await post().send({ name: 'logged', data: { code: secretCode, timeout: 3 } }).expect(200);
      const lines = t.logs.filter((l) => l.executionId === answer(res).id);
      expect(lines.map((l) => l.msg)).to.deep.equal(['execution requested', 'execution finished']);
      expect(lines[0]).to.include({ name: 'logged', codeBytes: Buffer.byteLength(secretCode), stdinBytes: 0, timeoutSeconds: 3 });
      expect(lines[1]).to.include({ outcome: 'ok', executionTimeMs: 7 });
      expect(lines[1]?.durationMs).to.be.a('number');
      expect(JSON.stringify(t.logs)).not.to.include('very particular program');
    });

    it('GET /metrics: executions by outcome, duration, in-flight and queued', async () => {
      await post().send(body('# ok')).expect(200);
      await post().send(body('# timeout')).expect(408);
      const res = await request(t.app.callback()).get('/metrics').expect(200).expect('Content-Type', /^text\/plain/);
      expect(res.text).to.include('code_execution_executions_total{executor="scripted",outcome="ok"} 1');
      expect(res.text).to.include('code_execution_executions_total{executor="scripted",outcome="timeout"} 1');
      expect(res.text).to.include('code_execution_duration_seconds_count{executor="scripted",outcome="ok"} 1');
      expect(res.text).to.match(/^code_execution_in_flight 0$/m);
      expect(res.text).to.match(/^code_execution_queued 0$/m);
    });
  });
});
