import type { ServerResponse } from 'node:http';
import { ExecutionFailure } from '../execution/errors.ts';

/**
 * An AbortSignal that fires when the client goes away before its answer is sent.
 *
 * The response's 'close' event is the reliable one: since Node 16 the request's 'close' fires as
 * soon as the body has been read, while the response's 'close' before `writableFinished` means the
 * connection was lost. Returns the signal and a function that stops listening.
 */
export function abortOnClientDisconnect(response: ServerResponse): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) controller.abort(new ExecutionFailure('aborted', 'the client closed the connection'));
  };
  response.once('close', onClose);
  // The connection may already be gone (the client left while its body was being read).
  if (response.socket === null || response.socket.destroyed) onClose();
  return { signal: controller.signal, release: () => response.off('close', onClose) };
}
