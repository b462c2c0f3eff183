import { AppError, ERROR_CODES, type ErrorCode } from '../../../preload/contract/index.js';

/** Connection failures that mean "the engine is not there right now" rather than "the request is wrong". */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);
/** Of those, the ones where no connection was made: the request cannot have reached the server. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * No answer came (AppError 'engine-busy'). `mayHaveArrived` is false only when no connection was
 * made; otherwise the server may have received the request and acted on it.
 */
export class NoAnswer extends AppError {
  constructor(
    message: string,
    readonly mayHaveArrived: boolean,
  ) {
    super('engine-busy', message);
    this.name = 'NoAnswer';
  }
}

export interface ProtocolClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

/**
 * JSON calls to an engine protocol v1 server. Errors come back as the AppError the server named
 * (`{error: {code, message}}`); 503 and dropped or refused connections become AppError('engine-busy'),
 * which the scheduler retries with backoff; an aborted signal becomes AppError('cancelled').
 */
export class ProtocolClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly o: ProtocolClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = o.fetch ?? fetch;
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.send(path, {
      method,
      headers: { ...this.authHeaders(), accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch (e) {
      throw this.failure(e, signal, `${method} ${path}`);
    }
    if (!res.ok) throw errorFromBody(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  /** fetch with the token, network failures already translated; the caller reads the body. */
  async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, headers: { ...this.authHeaders(), ...(init.headers as Record<string, string>) } });
    } catch (e) {
      throw this.failure(e, init.signal ?? undefined, `${init.method ?? 'GET'} ${path}`);
    }
  }

  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.o.token}` };
  }

  /** Turns a thrown fetch/stream error into the AppError callers act on. */
  failure(e: unknown, signal: AbortSignal | undefined, what: string): AppError {
    if (e instanceof AppError) return e;
    if (signal?.aborted) {
      const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
      return timedOut ? new NoAnswer(`the engine at ${this.baseUrl} did not answer ${what} in time`, true) : new AppError('cancelled', `${what} was cancelled`);
    }
    if (e instanceof SyntaxError) return new AppError('engine', `${this.baseUrl} answered ${what} with something that is not JSON; is it an adstudio engine?`);
    const code = errnoOf(e);
    if (code === null || TRANSIENT_CODES.has(code) || isTypeErrorFetchFailed(e)) {
      const message = `the engine at ${this.baseUrl} did not answer ${what} (${code ?? (e as Error).message}); it may be starting or restarting — try again shortly`;
      return new NoAnswer(message, code === null || !NEVER_CONNECTED.has(code));
    }
    return new AppError('engine', `${what} to ${this.baseUrl} failed: ${(e as Error).message}`);
  }
}

export function errorFromBody(status: number, body: unknown, what: string): AppError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `${what} answered HTTP ${status}`;
  if (status === 503) return new AppError('engine-busy', message);
  const code = typeof error?.code === 'string' && (ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as ErrorCode) : 'engine';
  return new AppError(code, message);
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

/** undici says "fetch failed" / "terminated" when the socket went away mid-request. */
function isTypeErrorFetchFailed(e: unknown): boolean {
  return e instanceof TypeError && /fetch failed|terminated|other side closed/i.test(e.message);
}
