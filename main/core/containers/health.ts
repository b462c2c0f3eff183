import type { EngineProtocol } from './profiles.js';

export interface HealthResult {
  ok: boolean;
  /** HTTP status, when an answer came. */
  status?: number;
  /** "healthy", "busy" (nanoCocoa with a job running), or why it is not healthy ("connection refused"). */
  detail: string;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
}

/** One health request. Tests inject their own; the default uses fetch. */
export type HealthProbe = (url: string, protocol: EngineProtocol, signal?: AbortSignal) => Promise<HealthResult>;

/**
 * GET <url>. adstudio's server answers {status: "healthy"}; nanoCocoa answers {status: "healthy" |
 * "busy"} (busy = a job runs: the server is up). Any other 2xx counts as up for custom profiles.
 */
export const httpHealthProbe: HealthProbe = async (url, protocol, signal) => {
  const timeout = AbortSignal.timeout(3_000);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { signal: combined, headers: { accept: 'application/json' } });
  } catch (e) {
    return { ok: false, detail: connectionDetail(e) };
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) return { ok: false, status: res.status, detail: `HTTP ${res.status}`, ...(body !== undefined ? { body } : {}) };
  const status = typeof (body as { status?: unknown })?.status === 'string' ? (body as { status: string }).status : undefined;
  if (protocol === 'adstudio-v1' || protocol === 'nanococoa') {
    const up = status === 'healthy' || (protocol === 'nanococoa' && status === 'busy');
    return { ok: up, status: res.status, detail: status ?? 'answer without a status', body };
  }
  return { ok: true, status: res.status, detail: status ?? 'ok', body };
};

function connectionDetail(e: unknown): string {
  const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'no answer within 3 s';
  const code = err?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens yet)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  return err?.cause?.message ?? err?.message ?? String(e);
}

export interface WaitForHealthOptions {
  url: string;
  protocol: EngineProtocol;
  probe: HealthProbe;
  timeoutMs: number;
  /** First retry delay; grows to maxIntervalMs so a slow first start is not hammered. */
  intervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
  /** Each failed probe: elapsed ms and why. */
  onWaiting?: (elapsedMs: number, last: HealthResult) => void;
  /** Checked between probes: a container that exited will never answer, so stop waiting. */
  stillRunning?: () => Promise<boolean>;
}

export type WaitOutcome = { kind: 'healthy'; result: HealthResult; elapsedMs: number } | { kind: 'timeout' | 'exited' | 'aborted'; last: HealthResult; elapsedMs: number };

export async function waitForHealth(o: WaitForHealthOptions): Promise<WaitOutcome> {
  const started = Date.now();
  let delay = o.intervalMs ?? 50;
  const maxDelay = o.maxIntervalMs ?? 1_000;
  let last: HealthResult = { ok: false, detail: 'not asked yet' };
  for (;;) {
    const elapsed = Date.now() - started;
    if (o.signal?.aborted) return { kind: 'aborted', last, elapsedMs: elapsed };
    last = await o.probe(o.url, o.protocol, o.signal);
    if (last.ok) return { kind: 'healthy', result: last, elapsedMs: Date.now() - started };
    o.onWaiting?.(Date.now() - started, last);
    if (Date.now() - started >= o.timeoutMs) return { kind: 'timeout', last, elapsedMs: Date.now() - started };
    if (o.stillRunning && !(await o.stillRunning())) return { kind: 'exited', last, elapsedMs: Date.now() - started };
    await sleep(Math.min(delay, Math.max(0, o.timeoutMs - (Date.now() - started))), o.signal);
    // Quick polls while a fast start is likely (a refused connection costs nothing), gentler later.
    delay = Math.min(Date.now() - started < 10_000 ? Math.min(maxDelay, 250) : maxDelay, Math.round(delay * 1.5));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
