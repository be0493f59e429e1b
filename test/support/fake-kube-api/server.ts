/**
 * An in-process fake Kubernetes API server (plain HTTP on 127.0.0.1) for the endpoints the
 * Kubernetes executor calls: Jobs (create, get, list, delete, patch), pods (list, watch, log),
 * events (list), NetworkPolicies (list) and SelfSubjectAccessReviews. It speaks the real wire
 * protocol: JSON objects with resourceVersions, `?watch=true` as chunked JSON lines replayed from a
 * resourceVersion, log follow as a chunked stream that answers 400 while the container is being
 * created, and Status objects for errors. Every request is recorded as the RBAC verb it needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { FakeCluster } from './cluster.ts';
import { RUN_RUNNER, type Scenario } from './scenarios.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { ObjectStore, type KubeObject, type Resource, type StoreEvent } from './store.ts';

/** One request, as the RBAC check it would need. */
export interface RecordedRequest {
  readonly verb: string;
  readonly apiGroup: string;
  /** `pods`, or `pods/log` for the subresource. */
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly query: Readonly<Record<string, string>>;
}

/** A Job deletion, with the propagation policy it asked for. */
export interface RecordedDeletion {
  readonly name: string;
  readonly propagationPolicy: string;
}

/**
 * How a silent or slow API server treats a request: 'drop' neither carries it out nor answers;
 * 'hold' carries it out but never answers; `delayMs` carries it out (and answers) that late,
 * whether or not the client is still waiting; `answerAfterMs` carries it out at once and sends
 * that answer (by then maybe stale) late. The connection stays open until the fake closes.
 */
export type Stall = 'drop' | 'hold' | { readonly delayMs: number } | { readonly answerAfterMs: number };

/** Options of the fake. */
export interface FakeKubeApiOptions {
  /** Pause between the steps of a pod's life (scheduled, creating, running...). */
  readonly stepMs?: number;
}

const TOKEN = 'fake-kube-api-token';
/** The API server's request body limit (3 MiB) and etcd's object limit (1.5 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;
const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const GROUP_OF: Record<Resource, { group: string; version: string; kind: string }> = {
  jobs: { group: 'batch', version: 'batch/v1', kind: 'Job' },
  pods: { group: '', version: 'v1', kind: 'Pod' },
  events: { group: '', version: 'v1', kind: 'Event' },
  networkpolicies: { group: 'networking.k8s.io', version: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
};

type Handler = (request: IncomingMessage, response: ServerResponse, match: Route) => Promise<void> | void;

interface Route {
  readonly resource: Resource | 'selfsubjectaccessreviews';
  readonly namespace: string;
  readonly name: string;
  readonly subresource: string;
  readonly query: URLSearchParams;
}

/** The fake API server. Start with `await FakeKubeApi.start()`, stop with `close()`. */
export class FakeKubeApi {
  readonly store = new ObjectStore();
  readonly cluster: FakeCluster;
  readonly requests: RecordedRequest[] = [];
  readonly deletions: RecordedDeletion[] = [];
  /** Chooses each Job's scenario; the default runs the real runner. */
  scenarioFor: (job: KubeObject) => Scenario = () => RUN_RUNNER;
  /** Refuses a Job at creation with this HTTP code and message (e.g. a quota on Jobs). */
  rejectJob: ((job: KubeObject) => { code: number; reason: string; message: string } | undefined) | undefined;
  /** Answers a request with an error instead of serving it (e.g. a passing 500 of the API server). */
  failRequest: ((request: RecordedRequest) => { code: number; message: string } | undefined) | undefined;
  /** Leaves a request without an answer (a silent API server). */
  stall: ((request: RecordedRequest) => Stall | undefined) | undefined;
  private readonly denied = new Set<string>();
  private readonly server: Server;
  private readonly openResponses = new Set<ServerResponse>();
  private url = '';

  private constructor(options: FakeKubeApiOptions) {
    this.cluster = new FakeCluster(this.store, options.stepMs ?? 5, (job) => this.scenarioFor(job));
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  /** Starts the server on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(options);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  /** The server's base URL. */
  get baseUrl(): string {
    return this.url;
  }

  /** A KubeConfig that points the real client at this server (plain HTTP needs skipTLSVerify in client-node). */
  kubeConfig(namespace = 'default'): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'fake', token: TOKEN }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace }],
      currentContext: 'fake',
    });
    return kubeConfig;
  }

  /** SelfSubjectAccessReviews answer "not allowed" for this verb on this resource (`pods/log`). */
  deny(verb: string, apiGroup: string, resource: string): void {
    this.denied.add(`${verb} ${apiGroup} ${resource}`);
  }

  /** Stores an object directly (NetworkPolicies, old Jobs for the sweep). */
  put(resource: Resource, object: KubeObject): KubeObject {
    const { version, kind } = GROUP_OF[resource];
    return this.store.create(resource, { apiVersion: version, kind, ...object });
  }

  /** The Jobs that exist now in a namespace. */
  jobs(namespace: string): KubeObject[] {
    return this.store.list('jobs', namespace);
  }

  /** The pods that exist now in a namespace. */
  pods(namespace: string): KubeObject[] {
    return this.store.list('pods', namespace);
  }

  /** Stops the cluster and the server, cutting open watches and log streams. */
  async close(): Promise<void> {
    await this.cluster.close();
    for (const response of this.openResponses) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        sendStatus(response, 401, 'Unauthorized', 'Unauthorized');
        return;
      }
      const route = parseRoute(request.url ?? '/');
      if (route === undefined) {
        sendStatus(response, 404, 'NotFound', `the server could not find the requested resource (${request.url})`);
        return;
      }
      const handler = this.handlerFor(request.method ?? 'GET', route);
      if (handler === undefined) {
        sendStatus(response, 405, 'MethodNotAllowed', `${request.method} is not supported on ${request.url}`);
        return;
      }
      const recorded = this.record(request.method ?? 'GET', route);
      const failure = this.failRequest?.(recorded);
      if (failure) {
        sendStatus(response, failure.code, 'InternalError', failure.message);
        return;
      }
      const stall = this.stall?.(recorded);
      if (stall === undefined) return await handler(request, response, route);
      // Read the body now: a client that gave up meanwhile takes the unread rest with it.
      const body = await readBody(request);
      if (!(await this.stalled(stall, response))) return;
      await handler(Object.assign(Readable.from([body]), { headers: request.headers }) as unknown as IncomingMessage, response, route);
    } catch (error) {
      sendStatus(response, 500, 'InternalError', error instanceof Error ? error.message : String(error));
    }
  }

  private handlerFor(method: string, route: Route): Handler | undefined {
    if (route.resource === 'selfsubjectaccessreviews') return method === 'POST' ? (q, s) => this.review(q, s) : undefined;
    if (route.subresource === 'log') return method === 'GET' ? (_q, s, r) => this.log(s, r) : undefined;
    const handlers: Record<string, Handler | undefined> =
      route.name === ''
        ? {
            GET: (_q, s, r) => (isWatch(r.query) ? this.watch(s, r) : this.list(s, r)),
            POST: route.resource === 'jobs' ? (q, s, r) => this.createJob(q, s, r) : undefined,
          }
        : {
            GET: (_q, s, r) => this.get(s, r),
            DELETE: route.resource === 'jobs' ? (q, s, r) => this.deleteJob(q, s, r) : route.resource === 'pods' ? (_q, s, r) => this.deletePod(s, r) : undefined,
            PATCH: route.resource === 'jobs' ? (q, s, r) => this.patchJob(q, s, r) : undefined,
          };
    return handlers[method];
  }

  /** Applies a stall; false when the request is dropped. */
  private async stalled(stall: Stall, response: ServerResponse): Promise<boolean> {
    this.openResponses.add(response);
    response.on('close', () => this.openResponses.delete(response));
    if (stall === 'drop') return false;
    if (stall === 'hold' || 'answerAfterMs' in stall) {
      // Carried out at once; what the handler sends goes out late, or never.
      deferAnswer(response, stall === 'hold' ? undefined : stall.answerAfterMs);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, stall.delayMs));
    return true;
  }

  private record(method: string, route: Route): RecordedRequest {
    const verb = verbOf(method, route.name !== '', isWatch(route.query));
    const resource = route.subresource === '' ? route.resource : `${route.resource}/${route.subresource}`;
    const apiGroup = route.resource === 'selfsubjectaccessreviews' ? 'authorization.k8s.io' : GROUP_OF[route.resource].group;
    const recorded = { verb, apiGroup, resource, namespace: route.namespace, name: route.name, query: Object.fromEntries(route.query) };
    this.requests.push(recorded);
    return recorded;
  }

  private list(response: ServerResponse, route: Route): void {
    const resource = route.resource as Resource;
    const items = this.select(resource, route);
    const { version, kind } = GROUP_OF[resource];
    sendJson(response, 200, { apiVersion: version, kind: `${kind}List`, metadata: { resourceVersion: String(this.store.resourceVersion) }, items });
  }

  private select(resource: Resource, route: Route): KubeObject[] {
    const labels = parseLabelSelector(route.query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(route.query.get('fieldSelector') ?? '');
    return this.store.list(resource, route.namespace, (object) => labels(object.metadata.labels ?? {}) && fields(object));
  }

  /** `?watch=true`: replay the history after resourceVersion, then stream changes, one JSON line each. */
  private watch(response: ServerResponse, route: Route): void {
    const resource = route.resource as Resource;
    const labels = parseLabelSelector(route.query.get('labelSelector') ?? '');
    const since = Number(route.query.get('resourceVersion') ?? '0') || 0;
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    this.openResponses.add(response);
    const relevant = (event: StoreEvent): boolean =>
      event.resource === resource && event.object.metadata.namespace === route.namespace && labels(event.object.metadata.labels ?? {});
    let ended = false;
    const deliver = (event: StoreEvent): void => {
      if (ended || !relevant(event) || this.dropped(event)) return;
      if (event.resource === 'pods' && this.takeWatchGone(event.object.metadata.name)) {
        // The resourceVersion is "too old": the client must re-list (what etcd compaction does).
        writeLine(response, { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } });
        ended = true;
        response.end();
        return;
      }
      writeLine(response, { type: event.type, object: event.object });
    };
    const backlog = since === 0 ? this.select(resource, route).map((object) => ({ type: 'ADDED' as const, resource, object, resourceVersion: 0 })) : this.store.historySince(since);
    for (const event of backlog) deliver(event);
    const unsubscribe = this.store.subscribe(deliver);
    response.on('close', () => {
      unsubscribe();
      this.openResponses.delete(response);
    });
  }

  private takeWatchGone(podName: string): boolean {
    const life = this.cluster.lifeOf(podName);
    if (!life?.scenario.faults?.watchGoneOnce || life.watchGoneSent) return false;
    life.watchGoneSent = true;
    return true;
  }

  private dropped(event: StoreEvent): boolean {
    return event.resource === 'pods' && this.cluster.faultsOf(event.object.metadata.name).dropPodEvents === true;
  }

  private get(response: ServerResponse, route: Route): void {
    const object = this.store.get(route.resource as Resource, route.namespace, route.name);
    if (object === undefined) sendNotFound(response, route);
    else sendJson(response, 200, object);
  }

  private async createJob(request: IncomingMessage, response: ServerResponse, route: Route): Promise<void> {
    const body = await readBody(request);
    if (body.length > MAX_BODY_BYTES) return sendStatus(response, 413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    if (body.length > MAX_OBJECT_BYTES) return sendStatus(response, 500, 'InternalError', 'etcdserver: request is too large');
    const job = JSON.parse(body.toString('utf8')) as KubeObject;
    const invalid = validateJob(job, route.namespace);
    if (invalid !== undefined) return sendStatus(response, 422, 'Invalid', `Job.batch "${job.metadata?.name}" is invalid: ${invalid}`);
    const refusal = this.rejectJob?.(job);
    if (refusal) return sendStatus(response, refusal.code, refusal.reason, refusal.message);
    if (this.store.get('jobs', route.namespace, job.metadata.name)) {
      return sendStatus(response, 409, 'AlreadyExists', `jobs.batch "${job.metadata.name}" already exists`);
    }
    const stored = this.store.create('jobs', { ...job, metadata: { ...job.metadata, namespace: route.namespace }, status: {} });
    sendJson(response, 201, stored);
    this.cluster.admitJob(stored);
  }

  private async deleteJob(request: IncomingMessage, response: ServerResponse, route: Route): Promise<void> {
    const body = await readBody(request);
    const options = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { propagationPolicy?: string }) : {};
    const propagationPolicy = route.query.get('propagationPolicy') ?? options.propagationPolicy ?? 'Orphan';
    const removed = this.cluster.deleteJob(route.namespace, route.name, propagationPolicy);
    if (removed === undefined) return sendNotFound(response, route);
    this.deletions.push({ name: route.name, propagationPolicy });
    sendJson(response, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: route.name, group: 'batch', kind: 'jobs', uid: removed.metadata.uid } });
  }

  private deletePod(response: ServerResponse, route: Route): void {
    const pod = this.cluster.deletePod(route.namespace, route.name);
    if (pod === undefined) sendNotFound(response, route);
    else sendJson(response, 200, pod);
  }

  private async patchJob(request: IncomingMessage, response: ServerResponse, route: Route): Promise<void> {
    const patch = JSON.parse((await readBody(request)).toString('utf8')) as unknown;
    const type = request.headers['content-type'] ?? '';
    let failure: string | undefined;
    const updated = this.store.update('jobs', route.namespace, route.name, (job) => {
      failure = type.startsWith('application/json-patch+json') ? applyJsonPatch(job, patch) : mergePatch(job, patch);
    });
    if (updated === undefined) return sendNotFound(response, route);
    if (failure !== undefined) return sendStatus(response, 422, 'Invalid', failure);
    sendJson(response, 200, updated);
  }

  /** The pod's log: 400 while the container is being created; with follow, streamed until it ends. */
  private log(response: ServerResponse, route: Route): void {
    const pod = this.store.get('pods', route.namespace, route.name);
    const life = this.cluster.lifeOf(route.name);
    if (pod === undefined || life === undefined) return sendNotFound(response, route);
    const waiting = waitingReason(pod);
    if (waiting !== undefined) {
      return sendStatus(response, 400, 'BadRequest', `container "runner" in pod "${route.name}" is waiting to start: ${waiting}`);
    }
    response.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const follow = route.query.get('follow') === 'true';
    // The API server flushes the headers of a stream at once (StreamObject); a fault may hold them.
    if (follow && !life.scenario.faults?.holdLogHeaders) response.flushHeaders();
    const limit = Number(route.query.get('limitBytes') ?? '0') || Infinity;
    if (!follow || life.log.ended) {
      response.end(Buffer.from(life.log.text, 'utf8').subarray(0, limit));
      return;
    }
    this.stream(response, life);
  }

  private stream(response: ServerResponse, life: NonNullable<ReturnType<FakeCluster['lifeOf']>>): void {
    const faults = life.scenario.faults ?? {};
    const cutAt = faults.cutFollowAfterBytes !== undefined && life.followCuts < (faults.cutFollowTimes ?? 1) ? faults.cutFollowAfterBytes : Infinity;
    let written = 0;
    const write = (chunk: string): void => {
      const bytes = Buffer.from(chunk, 'utf8');
      if (written + bytes.length >= cutAt) {
        response.write(bytes.subarray(0, cutAt - written));
        life.followCuts += 1;
        stop();
        response.socket?.destroy();
        return;
      }
      written += bytes.length;
      response.write(bytes);
    };
    this.openResponses.add(response);
    // A server that keeps the stream open after the container ended (faults.keepLogOpen).
    const stop = life.log.follow(write, () => (faults.keepLogOpen ? undefined : response.end()));
    response.on('close', () => {
      stop();
      this.openResponses.delete(response);
    });
    if (life.log.text !== '') write(life.log.text);
  }

  private async review(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const review = JSON.parse((await readBody(request)).toString('utf8')) as {
      spec: { resourceAttributes: { verb: string; group?: string; resource: string; subresource?: string } };
    };
    const { verb, group = '', resource, subresource } = review.spec.resourceAttributes;
    const name = subresource ? `${resource}/${subresource}` : resource;
    const allowed = !this.denied.has(`${verb} ${group} ${name}`);
    sendJson(response, 201, { ...review, status: { allowed, ...(allowed ? {} : { reason: 'denied by the fake' }) } });
  }
}

function parseRoute(rawUrl: string): Route | undefined {
  const url = new URL(rawUrl, 'http://fake');
  const query = url.searchParams;
  if (url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
    return { resource: 'selfsubjectaccessreviews', namespace: '', name: '', subresource: '', query };
  }
  const match = /^\/(?:api\/v1|apis\/batch\/v1|apis\/networking\.k8s\.io\/v1)\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(url.pathname);
  if (!match) return undefined;
  const [, namespace = '', resource = '', name = '', subresource = ''] = match;
  if (!(resource in GROUP_OF)) return undefined;
  const expectedPrefix = { jobs: '/apis/batch/v1/', pods: '/api/v1/', events: '/api/v1/', networkpolicies: '/apis/networking.k8s.io/v1/' }[resource as Resource];
  if (!url.pathname.startsWith(expectedPrefix)) return undefined;
  return { resource: resource as Resource, namespace, name: decodeURIComponent(name), subresource, query };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  if (method === 'GET') return watch ? 'watch' : named ? 'get' : 'list';
  return { POST: 'create', DELETE: 'delete', PATCH: 'patch', PUT: 'update' }[method] ?? method.toLowerCase();
}

/** What a real API server would refuse in the fields we care about. */
function validateJob(job: KubeObject, namespace: string): string | undefined {
  const name = job.metadata?.name ?? '';
  if (!DNS_LABEL.test(name) || name.length > 63) return `metadata.name: Invalid value: "${name}": must be a DNS-1123 label of at most 63 characters`;
  if (job.metadata.namespace !== undefined && job.metadata.namespace !== namespace) return 'metadata.namespace: does not match the request';
  const badLabel = Object.entries(job.metadata.labels ?? {}).find(([, value]) => value.length > 63 || !LABEL_VALUE.test(value));
  if (badLabel) return `metadata.labels: Invalid value: "${badLabel[1]}" for ${badLabel[0]}`;
  return validatePodTemplate(job);
}

function validatePodTemplate(job: KubeObject): string | undefined {
  const podSpec = (job.spec as { template?: { spec?: { containers?: unknown[]; restartPolicy?: string } } } | undefined)?.template?.spec;
  if (!podSpec?.containers?.length) return 'spec.template.spec.containers: Required value';
  if (!['Never', 'OnFailure'].includes(podSpec.restartPolicy ?? '')) return 'spec.template.spec.restartPolicy: Unsupported value';
  return undefined;
}

function isWatch(query: URLSearchParams): boolean {
  return query.get('watch') === 'true' || query.get('watch') === '1';
}

function waitingReason(pod: KubeObject): string | undefined {
  const statuses = (pod.status as { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } | undefined)?.containerStatuses;
  const state = statuses?.[0]?.state;
  if (state === undefined) return 'ContainerCreating';
  return state.waiting ? (state.waiting.reason ?? 'ContainerCreating') : undefined;
}

/** RFC 6902 add/replace/remove on object paths (enough for labels and annotations). */
function applyJsonPatch(target: KubeObject, patch: unknown): string | undefined {
  if (!Array.isArray(patch)) return 'a JSON patch must be an array';
  for (const operation of patch as { op: string; path: string; value?: unknown }[]) {
    const keys = operation.path.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    let node: Record<string, unknown> = target;
    for (const key of keys) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) return `the path ${operation.path} does not exist`;
      node = next as Record<string, unknown>;
    }
    if (last === undefined) return 'empty path';
    if (operation.op === 'remove') delete node[last];
    else if (operation.op === 'add' || operation.op === 'replace') node[last] = operation.value;
    else return `unsupported op ${operation.op}`;
  }
  return undefined;
}

/** RFC 7386 merge patch. */
function mergePatch(target: Record<string, unknown>, patch: unknown): string | undefined {
  if (typeof patch !== 'object' || patch === null) return 'a merge patch must be an object';
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' && target[key] !== null) mergePatch(target[key] as Record<string, unknown>, value);
    else target[key] = value;
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Holds back what is sent on `response` (writeHead, write, end), and sends it after `ms` (never: undefined). */
function deferAnswer(response: ServerResponse, ms: number | undefined): void {
  const send = { writeHead: response.writeHead.bind(response), write: response.write.bind(response), end: response.end.bind(response) };
  const held: (() => void)[] = [];
  const hold = <A extends unknown[], R>(method: (...args: A) => R, result: R) => (...args: A): R => {
    held.push(() => method(...args));
    return result;
  };
  response.writeHead = hold(send.writeHead as (...args: unknown[]) => ServerResponse, response);
  response.write = hold(send.write as (...args: unknown[]) => boolean, true);
  response.end = hold(send.end as (...args: unknown[]) => ServerResponse, response);
  response.flushHeaders = () => undefined;
  if (ms === undefined) return;
  setTimeout(() => {
    if (!response.destroyed) for (const replay of held) replay();
  }, ms);
}

function writeLine(response: ServerResponse, value: unknown): void {
  response.write(`${JSON.stringify(value)}\n`);
}

function sendJson(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(response, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function sendNotFound(response: ServerResponse, route: Route): void {
  const group = route.resource === 'jobs' ? 'jobs.batch' : route.resource;
  sendStatus(response, 404, 'NotFound', `${group} "${route.name}" not found`);
}
