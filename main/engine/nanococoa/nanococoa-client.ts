import { AppError } from '../../../preload/contract/index.js';

export interface NanoResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

export interface NanoCocoaClientOptions {
  baseUrl: string;
  /** Per-request limit (bodies with images can be megabytes): default 60 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Plain JSON over HTTP to the nanoCocoa server. It has no token (the container publishes on
 * 127.0.0.1 only). Network failures become AppError('engine-busy') — the server may be starting,
 * restarting or loading — and an aborted signal AppError('cancelled'). HTTP statuses are returned,
 * not thrown: 503, 404 and 422 each mean something particular to the callers.
 */
export class NanoCocoaClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(o: NanoCocoaClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = o.fetch ?? fetch;
    this.timeoutMs = o.timeoutMs ?? 60_000;
  }

  async request(method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<NanoResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const what = `${method} ${path}`;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal,
      });
    } catch (e) {
      throw this.failure(e, options.signal, timeout, what);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw this.failure(e, options.signal, timeout, what);
    }
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    return { status: res.status, headers: res.headers, body };
  }

  private failure(e: unknown, caller: AbortSignal | undefined, timeout: AbortSignal, what: string): AppError {
    if (e instanceof AppError) return e;
    if (caller?.aborted) return new AppError('cancelled', `${what} to the nanoCocoa server was cancelled`);
    if (timeout.aborted) return new AppError('engine-busy', `the nanoCocoa server at ${this.baseUrl} did not answer ${what} in time`);
    const code = errnoOf(e);
    return new AppError(
      'engine-busy',
      `cannot reach the nanoCocoa server at ${this.baseUrl} (${what}: ${code ?? (e as Error).message}); is its container running and healthy?`,
    );
  }
}

/** FastAPI errors are `{detail: "..."}` or `{detail: [{loc, msg}, ...]}` (422). */
export function detailOf(body: unknown): string | null {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const parts = detail
      .map((d: { loc?: unknown; msg?: unknown }) => {
        const loc = Array.isArray(d?.loc) ? d.loc.filter((x) => x !== 'body').join('.') : '';
        return typeof d?.msg === 'string' ? (loc ? `${loc}: ${d.msg}` : d.msg) : null;
      })
      .filter((x): x is string => !!x);
    return parts.length ? parts.join('; ') : null;
  }
  return null;
}

function errnoOf(e: unknown): string | null {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}
