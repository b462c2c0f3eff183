import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import { detailOf, type NanoCocoaClient } from './nanococoa-client.js';
import { formatSeconds } from './nanococoa-status.js';
import { num, str, type GenerateBody, type HealthBody, type JobsBody, type JobsEntry } from './nanococoa-wire.js';

export interface QueueOptions {
  /** How often to ask GET /health whether the server is free again while it is busy (default 5 s). */
  queuePollMs: number;
  /** Busy with no visible change in the job holding the server for this long = a stuck lock (default 10 min). */
  stuckAfterMs: number;
  /** Longest wait for the server to become free, in all (default 60 min); then AppError('engine-busy'). */
  maxQueueMs: number;
  now: () => number;
}

export interface QueueHooks {
  signal: AbortSignal;
  /** Told while waiting, so the Jobs panel says why nothing moves. */
  onWaiting?: (message: string) => void;
  /** Called when the lock looks stuck, before the error is thrown (the engine remembers it for health()). */
  onStuck?: (message: string) => void;
}

/** After this many 503s in a row while /health says nothing is active, the lock is stuck. */
const BUSY_WITH_NOTHING_ACTIVE = 3;

/**
 * POST /generate with a queue on this side: the server runs one job at a time and answers 503 with
 * a Retry-After that is a fixed estimate (up to 22 min). Instead of resubmitting on a timer (every
 * resubmission carries the images) or sleeping through the whole estimate, it asks the cheap
 * GET /health until the server is free, then resubmits. A lock held by a job that never changes
 * (a crashed worker) is reported as stuck with the way out: POST /server-reset.
 */
export async function submitQueued(client: NanoCocoaClient, body: GenerateBody, options: QueueOptions, hooks: QueueHooks): Promise<string> {
  const started = options.now();
  let watch: { fingerprint: string; since: number } | null = null;
  // 503s in a row that came right after /health said the server was free.
  let busyWithNothing = 0;
  let healthSaidFree = false;
  for (;;) {
    hooks.signal.throwIfAborted();
    const res = await client.request('POST', '/generate', { body, signal: hooks.signal });
    if (res.status === 200) {
      const jobId = str((res.body as { job_id?: unknown } | null)?.job_id);
      if (!jobId) throw new AppError('engine', 'the nanoCocoa server accepted the job but sent no job_id');
      return jobId;
    }
    if (res.status === 422) {
      throw new AppError('bad-request', `the nanoCocoa server refused the request: ${detailOf(res.body) ?? 'invalid parameters (HTTP 422)'}`);
    }
    if (res.status !== 503) {
      throw new AppError('engine', `the nanoCocoa server answered POST /generate with HTTP ${res.status}${detailOf(res.body) ? `: ${detailOf(res.body)}` : ''}`);
    }
    busyWithNothing = healthSaidFree ? busyWithNothing + 1 : 0;
    // /health said free, yet 503 again and again: the lock itself is wedged.
    if (busyWithNothing >= BUSY_WITH_NOTHING_ACTIVE) throw stuck(client.baseUrl, 'it answers "busy" while reporting no active job', hooks);
    healthSaidFree = false;
    const estimate = retryAfterSeconds(res.headers.get('retry-after'), (res.body as { retry_after?: unknown } | null)?.retry_after);
    hooks.onWaiting?.(
      `queued: the nanoCocoa server is busy with another job${estimate !== null ? ` (it estimates ${formatSeconds(estimate)})` : ''}; adstudio submits again as soon as it is free`,
    );
    // Wait until /health says free (or the lock looks stuck), never hammering /generate.
    for (;;) {
      const waited = options.now() - started;
      if (waited >= options.maxQueueMs) {
        throw new AppError('engine-busy', `the nanoCocoa server stayed busy with another job for ${formatSeconds(waited / 1000)}; try again later`);
      }
      await sleep(options.queuePollMs, undefined, { signal: hooks.signal }).catch(() => {
        throw new AppError('cancelled', 'cancelled while waiting for the nanoCocoa server');
      });
      const health = await client.request('GET', '/health', { signal: hooks.signal, timeoutMs: 10_000 }).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'cancelled') throw e;
        return null;
      });
      const h = (health?.body ?? null) as HealthBody | null;
      const active = num(h?.active_jobs);
      const free = health !== null && health.status === 200 && str(h?.status) !== 'busy' && (active === null || active === 0);
      if (free) {
        healthSaidFree = true;
        break;
      }
      const fingerprint = await activeFingerprint(client, hooks.signal);
      if (fingerprint !== null) {
        const now = options.now();
        if (!watch || watch.fingerprint !== fingerprint) watch = { fingerprint, since: now };
        else if (now - watch.since >= options.stuckAfterMs) throw stuck(client.baseUrl, `no job on it has changed for ${formatSeconds((now - watch.since) / 1000)}`, hooks);
      }
    }
  }
}

export function stuckMessage(baseUrl: string, why: string): string {
  return (
    `the nanoCocoa server at ${baseUrl} looks stuck: ${why} (a crashed worker can leave its job lock held). ` +
    `Reset it with the engine's Reset button in the Engines panel, \`npx adstudio engine reset --profile <name>\`, or POST ${baseUrl}/server-reset; ` +
    'that stops every job on that server.'
  );
}

function stuck(baseUrl: string, why: string, hooks: QueueHooks): AppError {
  const message = stuckMessage(baseUrl, why);
  hooks.onStuck?.(message);
  return new AppError('engine', message);
}

/** What the active jobs look like now, without the clock fields; null when /jobs cannot be read. */
async function activeFingerprint(client: NanoCocoaClient, signal: AbortSignal): Promise<string | null> {
  const res = await client.request('GET', '/jobs', { signal, timeoutMs: 10_000 }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'cancelled') throw e;
    return null;
  });
  if (!res || res.status !== 200) return null;
  const jobs = (res.body as JobsBody | null)?.jobs;
  if (!Array.isArray(jobs)) return null;
  const active = (jobs as JobsEntry[])
    .filter((j) => j && (j.status === 'pending' || j.status === 'running'))
    .map((j) => [j.job_id, j.status, j.progress_percent, j.current_step, j.message]);
  return JSON.stringify(active);
}

function retryAfterSeconds(header: string | null, body: unknown): number | null {
  const fromHeader = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null;
  const fromBody = num(body);
  const v = fromHeader ?? fromBody;
  return v !== null && v >= 0 ? v : null;
}
