import { expect } from 'chai';
import { Admission } from '../../src/execution/admission.ts';
import { ExecutionFailure } from '../../src/execution/errors.ts';
import type { ExecutionRequest, ExecutionResult } from '../../src/execution/types.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { ScriptedExecutor } from '../support/scriptedExecutor.ts';
import { waitFor } from '../support/wait.ts';

let counter = 0;
const request = (code = '# hold'): ExecutionRequest => {
  counter += 1;
  return { id: `exec-${counter}`, name: `r${counter}`, code, stdin: '', timeoutSeconds: 5 };
};

async function gauge(metrics: Metrics, name: 'code_execution_in_flight' | 'code_execution_queued'): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? NaN;
}

async function failureOf(promise: Promise<unknown>): Promise<ExecutionFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ExecutionFailure);
    return error as ExecutionFailure;
  }
  throw new Error('expected a rejection');
}

describe('Admission', () => {
  let executor: ScriptedExecutor;
  let metrics: Metrics;
  let admission: Admission;

  beforeEach(() => {
    executor = new ScriptedExecutor();
    metrics = new Metrics({ defaultMetrics: false });
    admission = new Admission({ executor, metrics, settings: { maxConcurrentExecutions: 2, maxQueuedExecutions: 1 } });
  });

  it('runs at most maxConcurrentExecutions at once, queues the next, refuses beyond the queue', async () => {
    const signal = new AbortController().signal;
    const runs = [admission.execute(request(), signal), admission.execute(request(), signal), admission.execute(request(), signal)];
    await waitFor(() => executor.running === 2);
    expect(admission.running).to.equal(2);
    expect(admission.queued).to.equal(1);
    expect(await gauge(metrics, 'code_execution_in_flight')).to.equal(2);
    expect(await gauge(metrics, 'code_execution_queued')).to.equal(1);

    const refused = await failureOf(admission.execute(request(), signal));
    expect(refused.kind).to.equal('overloaded');
    expect((await metrics.registry.getSingleMetricAsString('code_execution_rejected_total'))).to.include(
      'code_execution_rejected_total{reason="overloaded"} 1',
    );

    // Freeing one slot starts the queued execution.
    executor.release(executor.heldIds[0]!);
    await waitFor(() => executor.started.length === 3);
    for (const id of executor.heldIds) executor.release(id);
    const results: ExecutionResult[] = await Promise.all(runs);
    expect(results.map((r) => r.status)).to.deep.equal(['ok', 'ok', 'ok']);
    expect(executor.maxRunning).to.equal(2);
    await waitFor(() => admission.running === 0);
    expect(await gauge(metrics, 'code_execution_in_flight')).to.equal(0);
    expect(await gauge(metrics, 'code_execution_queued')).to.equal(0);
  });

  it('takes a waiting execution out of the queue when its client leaves; the executor never sees it', async () => {
    const signal = new AbortController().signal;
    const first = admission.execute(request(), signal);
    const second = admission.execute(request(), signal);
    const client = new AbortController();
    const waiting = request();
    const third = admission.execute(waiting, client.signal);
    await waitFor(() => admission.queued === 1);
    client.abort();
    const failure = await failureOf(third);
    expect(failure.kind).to.equal('aborted');
    expect(admission.queued).to.equal(0);
    expect(await gauge(metrics, 'code_execution_queued')).to.equal(0);
    for (const id of executor.heldIds) executor.release(id);
    await Promise.all([first, second]);
    expect(executor.started.map((r) => r.id)).not.to.include(waiting.id);
  });

  it('fires the signal of a running execution when its client leaves, and holds the slot until the executor settles', async () => {
    executor.cleanupMs = 150;
    const client = new AbortController();
    const running = request();
    const execution = admission.execute(running, client.signal);
    await waitFor(() => executor.running === 1);
    client.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.aborted).to.deep.equal([running.id]);
    expect(admission.running, 'the slot is still held while the sandbox is cleaned up').to.equal(1);
    expect((await failureOf(execution)).kind).to.equal('aborted');
    await waitFor(() => admission.running === 0);
    expect(executor.aborted).to.deep.equal([running.id]);
    expect(await metrics.registry.getSingleMetricAsString('code_execution_executions_total')).to.include(
      'code_execution_executions_total{executor="scripted",outcome="aborted"} 1',
    );
  });

  it('refuses an execution whose client already left', async () => {
    const client = new AbortController();
    client.abort();
    expect((await failureOf(admission.execute(request('# ok'), client.signal))).kind).to.equal('aborted');
    expect(executor.started).to.have.length(0);
  });

  it('counts executions by outcome and observes their duration', async () => {
    const signal = new AbortController().signal;
    await admission.execute(request('# ok'), signal);
    await admission.execute(request('# error'), signal);
    await failureOf(admission.execute(request('# unavailable'), signal));
    const text = await metrics.registry.metrics();
    expect(text).to.include('code_execution_executions_total{executor="scripted",outcome="ok"} 1');
    expect(text).to.include('code_execution_executions_total{executor="scripted",outcome="error"} 1');
    expect(text).to.include('code_execution_executions_total{executor="scripted",outcome="unavailable"} 1');
    expect(text).to.include('code_execution_duration_seconds_count{executor="scripted",outcome="ok"} 1');
  });

  it('drain: refuses new executions, lets running ones finish within the grace period', async () => {
    const signal = new AbortController().signal;
    const held = request();
    const execution = admission.execute(held, signal);
    await waitFor(() => executor.running === 1);
    const drained = admission.drain('The service is shutting down', 2000);
    expect(admission.closedReason).to.equal('The service is shutting down');
    const refused = await failureOf(admission.execute(request('# ok'), signal));
    expect([refused.kind, refused.message]).to.deep.equal(['unavailable', 'The service is shutting down']);
    executor.release(held.id);
    expect((await execution).status).to.equal('ok');
    expect(await drained).to.equal(true);
  });

  it('drain: after the grace period, refuses the executions still waiting', async () => {
    const signal = new AbortController().signal;
    const running = [admission.execute(request(), signal), admission.execute(request(), signal)];
    const waiting = admission.execute(request(), signal);
    await waitFor(() => admission.queued === 1);
    expect(await admission.drain('The service is shutting down', 50)).to.equal(false);
    const failure = await failureOf(waiting);
    expect([failure.kind, failure.message]).to.deep.equal(['unavailable', 'The service is shutting down']);
    for (const id of executor.heldIds) executor.release(id);
    await Promise.all(running);
    expect(executor.started).to.have.length(2);
  });
});
