/**
 * An error meant for the client: the error middleware answers with `status` and
 * `{"detail": message}` (plus `extra` fields and `headers`). Everything else becomes a 500.
 */
export class HttpProblem extends Error {
  readonly status: number;
  /** Koa's convention: the message may be shown to the client. */
  readonly expose = true;
  readonly headers: Readonly<Record<string, string>>;
  /** Additive fields of the answer, beside `detail` (for example the execution `id`). */
  readonly extra: Readonly<Record<string, string>>;

  constructor(
    status: number,
    detail: string,
    options: { headers?: Record<string, string>; extra?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }
}
