/**
 * Reading the runner's JSON Lines from the pod's log: a follow request while the container runs,
 * and a plain read of the whole log when the follow broke off.
 */
import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import { apiStatusCode, callApi, type KubeClients } from './kubeApi.ts';
import { RUNNER_CONTAINER } from './jobSpec.ts';

/** How a follow request ended. */
export type FollowEnd =
  /** The server ended the stream: the container has terminated (or the server closed it early). */
  | 'ended'
  /** The connection broke, was aborted, or its headers took longer than the per-call timeout. */
  | 'broken'
  /** The log outgrew its cap: what was read is incomplete. */
  | 'overflow'
  /** 400: the container is still being created; ask again shortly. */
  | 'not-ready';

/** Which log to read. */
export interface LogSource {
  readonly clients: KubeClients;
  readonly namespace: string;
  readonly podName: string;
  /** Stop reading beyond this many bytes (a runner that works never gets near it). */
  readonly maxBytes: number;
}

/**
 * Follows the runner container's log, passing text to `onText` as it arrives, until the stream ends.
 * Never rejects: every way it can end is a FollowEnd. A server that holds back the headers for
 * longer than the per-call timeout counts as broken: the caller reads the whole log at the end.
 */
export async function followLog(source: LogSource, onText: (text: string) => void, signal: AbortSignal): Promise<FollowEnd> {
  const decoder = new StringDecoder('utf8');
  let received = 0;
  let broken = false;
  let overflow = false;
  /** The open follow request, once its headers are in. */
  const open: { controller?: AbortController } = {};
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      received += chunk.length;
      if (received > source.maxBytes) {
        overflow = true;
        open.controller?.abort();
      } else {
        onText(decoder.write(chunk));
      }
      callback();
    },
    final(callback): void {
      onText(decoder.end());
      callback();
    },
  });
  // client-node pipes the response into `sink` but leaves the response stream without an error
  // handler: a connection cut mid-stream would be an uncaught exception. Handle it here.
  sink.on('pipe', (response: NodeJS.ReadableStream) => {
    response.on('error', () => {
      broken = true;
      sink.end();
    });
  });
  const finished = new Promise<void>((resolve) => sink.on('finish', resolve).on('close', resolve));
  // log() resolves with its AbortController only once the response headers are in, which a server
  // may hold back until the first byte: until then, give up on `signal` without waiting for it.
  const request = source.clients.log.log(source.namespace, source.podName, RUNNER_CONTAINER, sink, { follow: true });
  const opened = await untilAborted(request, AbortSignal.any([signal, AbortSignal.timeout(source.clients.apiTimeoutMs)]));
  if (opened === 'aborted') {
    request.then((late) => late.abort()).catch(() => undefined);
    return 'broken';
  }
  if (opened instanceof Error) return apiStatusCode(opened) === 400 ? 'not-ready' : 'broken';
  open.controller = opened;
  const abort = (): void => opened.abort();
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await finished;
  } finally {
    signal.removeEventListener('abort', abort);
  }
  if (overflow) return 'overflow';
  return broken || signal.aborted ? 'broken' : 'ended';
}

/** The promise's value, its error, or 'aborted' if `signal` fires first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | Error | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        resolve(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Reads the whole log of the runner container once (no follow), up to maxBytes; ends when `stop` fires. */
export async function readWholeLog(source: LogSource, stop: AbortSignal): Promise<string> {
  const { clients } = source;
  return callApi(clients, stop, (options) =>
    clients.core.readNamespacedPodLog({ name: source.podName, namespace: source.namespace, container: RUNNER_CONTAINER, limitBytes: source.maxBytes }, options),
  );
}
