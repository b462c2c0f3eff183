import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import type { EngineCapabilities, EngineHealth, MemoryReport, ModelInfo, StageContext, StageEngine, StageKind, StageRequest, StageResult } from '../stage-engine.js';
import { NanoCocoaClient } from './nanococoa-client.js';
import { writeWireImage } from './nanococoa-images.js';
import { submitQueued } from './nanococoa-queue.js';
import { NANOCOCOA_MODELS, NANOCOCOA_STAGES, planRun } from './nanococoa-request.js';
import { describeStatus, MonotonicProgress, readStatus, type NanoJobState } from './nanococoa-status.js';
import { num, str, type HealthBody, type StatusBody, type SystemMetrics } from './nanococoa-wire.js';

export interface NanoCocoaEngineOptions {
  /** e.g. "http://127.0.0.1:8000" (the `nanococoa` container profile publishes there). */
  baseUrl: string;
  /** GET /status interval while a job runs: every answer carries every image, so gently (default 4 s). */
  pollMs?: number;
  /** GET /health interval while queued behind another job (default 5 s). */
  queuePollMs?: number;
  /** Busy with no change in the job holding the server for this long = stuck lock (default 10 min). */
  stuckAfterMs?: number;
  /** Longest wait in the client-side queue (default 60 min). */
  maxQueueMs?: number;
  /** Status polls that may fail in a row (server restarting, network) before the run is given up (default 15). */
  maxPollFailures?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: (line: string) => void;
}

export interface NanoCocoaEngine extends StageEngine {
  readonly baseUrl: string;
  /** Follows a job started before an app restart (its run id came through StageContext.onRunId). */
  reattach(runId: string, context: StageContext): Promise<StageResult>;
  /** POST /server-reset: stops every job on the server and clears a stuck lock. */
  reset(): Promise<void>;
}

/** Said whenever the server answers 404 for a job it accepted. */
export const LOST_JOB_MESSAGE = 'the nanoCocoa server lost the job (it keeps jobs in memory only; it has probably restarted)';

const RUN_PREFIX = 'nanococoa:';
const STEPS_OF: Record<string, number[]> = { background: [1], render_text: [2, 3] };

interface RunRef {
  job: string;
  kind: StageKind;
  out: string;
}

/**
 * A StageEngine over the seed team's nanoCocoa AI server (shared/reference/nanococoa-server.md):
 * submit (POST /generate, queued on this side while the server is busy), poll gently, cancel
 * (POST /stop, never on a finished job: it would overwrite its status), take the result once, write
 * it to the stage's output file, then free the server's memory (DELETE /jobs). Images go to and come
 * from that server as base64 because its API has nothing else; callers only ever see file paths.
 *
 * It runs the `background` and `render_text` stages. The server loads and unloads its models inside
 * each job (a fresh process per job), so adstudio cannot keep them warm: they are listed as always
 * resident with no footprint of adstudio's to budget, load/unload do nothing, and the VRAM the
 * server really uses shows in memory().
 */
export function createNanoCocoaEngine(options: NanoCocoaEngineOptions): NanoCocoaEngine {
  const client = new NanoCocoaClient({ baseUrl: options.baseUrl, ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 4_000;
  const maxPollFailures = options.maxPollFailures ?? 15;
  const log = options.log ?? (() => undefined);
  const closed = new AbortController();
  /** Set when the lock looked stuck; health() reports it until a reset or a job is accepted again. */
  let stuck: string | null = null;

  async function readHealth(): Promise<HealthBody> {
    const res = await client.request('GET', '/health', { timeoutMs: 5_000 });
    if (res.status !== 200) throw new AppError('engine', `the nanoCocoa server answered GET /health with HTTP ${res.status}`);
    return (res.body ?? {}) as HealthBody;
  }

  async function stopJob(job: string): Promise<void> {
    try {
      await client.request('POST', `/stop/${encodeURIComponent(job)}`, { timeoutMs: 15_000 });
      await client.request('DELETE', `/jobs/${encodeURIComponent(job)}`, { timeoutMs: 5_000 });
    } catch (e) {
      log(`nanoCocoa: could not stop job ${job}: ${(e as Error).message}`);
    }
  }

  /**
   * Polls one job to its end and writes its result. `lost` is the error code a 404 becomes;
   * `pollFirst` asks at once (a reattach) instead of after one interval (a job just submitted).
   */
  async function follow(ref: RunRef, context: StageContext, madeBy: string, how: { lost: 'engine' | 'not-found'; pollFirst: boolean }): Promise<StageResult> {
    const progress = new MonotonicProgress(STEPS_OF[ref.kind] ?? [1]);
    const signal = AbortSignal.any([context.signal, closed.signal]);
    let state: NanoJobState = 'pending';
    let failures = 0;
    let wait = !how.pollFirst;
    const stop = async (): Promise<never> => {
      // Closing adstudio leaves the job running (the next start picks it up by its run id). A cancel
      // stops it — but only while it still runs: /stop would overwrite a finished job's status.
      if (!context.signal.aborted) throw new AppError('engine', 'the nanoCocoa engine client was closed; the job goes on on the server');
      if (state === 'pending' || state === 'running' || state === 'unknown') await stopJob(ref.job);
      throw new AppError('cancelled', 'the nanoCocoa job was cancelled');
    };
    for (;;) {
      if (signal.aborted) return stop();
      if (wait) {
        try {
          await sleep(pollMs, undefined, { signal });
        } catch {
          return stop();
        }
      }
      wait = true;
      let body: StatusBody;
      try {
        const res = await client.request('GET', `/status/${encodeURIComponent(ref.job)}`, { signal });
        if (res.status === 404) throw new AppError(how.lost, LOST_JOB_MESSAGE);
        if (res.status !== 200) throw new AppError('engine-busy', `the nanoCocoa server answered GET /status with HTTP ${res.status}`);
        body = (res.body ?? {}) as StatusBody;
        failures = 0;
      } catch (e) {
        if (signal.aborted) return stop();
        if (e instanceof AppError && e.code !== 'engine-busy') throw e;
        if (++failures >= maxPollFailures) {
          throw new AppError('engine', `lost contact with the nanoCocoa server while it ran job ${ref.job}: ${(e as Error).message}`);
        }
        continue;
      }
      const view = readStatus(body);
      state = view.state;
      if (state === 'completed') {
        const b64 = str(body.final_result) ?? str(ref.kind === 'background' ? body.step1_result : body.step2_result);
        if (!b64) throw new AppError('engine', `the nanoCocoa job ${ref.job} completed without a result image`);
        // The only copy we take of it: written once, then the server's copy is freed.
        await writeWireImage(b64, ref.out, `${ref.kind} result`);
        context.onProgress?.(1000, 1000, 'nanoCocoa: done');
        void client.request('DELETE', `/jobs/${encodeURIComponent(ref.job)}`, { timeoutMs: 5_000 }).catch(() => undefined);
        return { outputs: { image: ref.out }, madeBy };
      }
      if (state === 'failed') {
        throw new AppError('engine', `the nanoCocoa server failed the job (status "${view.rawStatus}"): ${view.message ?? 'no reason given'}`);
      }
      if (state === 'stopped') {
        throw new AppError('engine', `the job was stopped on the nanoCocoa server by someone else (POST /stop or /server-reset)${view.message ? `: ${view.message}` : ''}`);
      }
      const fraction = progress.update(view);
      context.onProgress?.(Math.round(fraction * 1000), 1000, describeStatus(view));
    }
  }

  async function runStage(request: StageRequest, context: StageContext): Promise<StageResult> {
    if (closed.signal.aborted) throw new AppError('engine', 'the nanoCocoa engine client is closed');
    if (context.signal.aborted) throw new AppError('cancelled', 'the stage was cancelled');
    const plan = await planRun(request);
    const signal = AbortSignal.any([context.signal, closed.signal]);
    let job: string;
    try {
      job = await submitQueued(
        client,
        plan.body,
        { queuePollMs: options.queuePollMs ?? 5_000, stuckAfterMs: options.stuckAfterMs ?? 10 * 60_000, maxQueueMs: options.maxQueueMs ?? 60 * 60_000, now },
        {
          signal,
          onWaiting: (message) => context.onProgress?.(0, 1000, message),
          onStuck: (message) => {
            stuck = message;
          },
        },
      );
    } catch (e) {
      if (signal.aborted) throw new AppError('cancelled', 'cancelled before the nanoCocoa server took the job');
      throw e;
    }
    stuck = null;
    const ref: RunRef = { job, kind: request.kind, out: plan.out };
    context.onRunId?.(`${RUN_PREFIX}${JSON.stringify(ref)}`);
    return follow(ref, context, plan.madeBy, { lost: 'engine', pollFirst: false });
  }

  return {
    baseUrl: client.baseUrl,

    async capabilities(): Promise<EngineCapabilities> {
      return { engine: 'nanococoa', version: 'nanococoa-aiserver', protocol: 'nanococoa', simulated: false, stages: [...NANOCOCOA_STAGES], inpaintMethods: [] };
    },

    async health(): Promise<EngineHealth> {
      try {
        const h = await readHealth();
        const gpu = memoryOf(h.system_metrics);
        if (stuck) return { status: 'unhealthy', message: stuck, simulated: false, gpu };
        const active = num(h.active_jobs) ?? 0;
        const busy = str(h.status) === 'busy' || active > 0;
        return { status: 'healthy', ...(busy ? { message: `busy: ${active || 'a'} job${active === 1 || !active ? '' : 's'} running on the nanoCocoa server (one at a time)` } : {}), simulated: false, gpu };
      } catch (e) {
        return { status: 'unhealthy', message: (e as Error).message, simulated: false, gpu: null };
      }
    },

    async models(): Promise<ModelInfo[]> {
      return NANOCOCOA_MODEL_INFO.map((m) => ({ ...m }));
    },

    async load(modelId) {
      if (!NANOCOCOA_MODEL_INFO.some((m) => m.id === modelId)) throw new AppError('not-found', `the nanoCocoa server has no model "${modelId}"`);
    },

    async unload(modelId) {
      if (!NANOCOCOA_MODEL_INFO.some((m) => m.id === modelId)) throw new AppError('not-found', `the nanoCocoa server has no model "${modelId}"`);
    },

    async memory(): Promise<MemoryReport | null> {
      return memoryOf((await readHealth()).system_metrics);
    },

    runStage,

    async reattach(runId, context) {
      const ref = parseRunId(runId);
      return follow(ref, context, `nanococoa:${ref.kind} (picked up after a restart)`, { lost: 'not-found', pollFirst: true });
    },

    async reset() {
      const res = await client.request('POST', '/server-reset', { timeoutMs: 30_000 });
      if (res.status !== 200) throw new AppError('engine', `the nanoCocoa server answered POST /server-reset with HTTP ${res.status}`);
      stuck = null;
      log(`nanoCocoa: ${client.baseUrl} was reset; every job on it was stopped`);
    },

    async close() {
      closed.abort();
    },
  };
}

const SEED_SOURCE =
  'declared footprint is 0: the nanoCocoa server loads and unloads this model inside each job (a fresh process per job), so adstudio cannot budget or keep it; ' +
  'the seed team measured on an NVIDIA L4';

const NANOCOCOA_MODEL_INFO: readonly ModelInfo[] = [
  {
    id: NANOCOCOA_MODELS.flux,
    stage: 'background',
    label: 'FLUX background (nanoCocoa server)',
    device: 'gpu',
    footprintMb: 0,
    observedPeakMb: null,
    loadMs: 0,
    unloadMs: 0,
    resident: true,
    source: `${SEED_SOURCE}: FLUX load 128 s (~11 GB), 25 steps 133 s, unload 16 s`,
  },
  {
    id: NANOCOCOA_MODELS.sdxl,
    stage: 'background',
    label: 'SDXL background (nanoCocoa server)',
    device: 'gpu',
    footprintMb: 0,
    observedPeakMb: null,
    loadMs: 0,
    unloadMs: 0,
    resident: true,
    source: `${SEED_SOURCE} (no SDXL figure was measured)`,
  },
  {
    id: NANOCOCOA_MODELS.text,
    stage: 'render_text',
    label: '3D text lettering + composite (nanoCocoa server)',
    device: 'gpu',
    footprintMb: 0,
    observedPeakMb: null,
    loadMs: 0,
    unloadMs: 0,
    resident: true,
    source: `${SEED_SOURCE}: a whole job ≈ 7–8 min; VLM load 73 s (~10 GB) + analysis 58 s`,
  },
];

/** The server's first GPU as a memory report; null when it reports none. */
export function memoryOf(metrics: SystemMetrics | undefined): MemoryReport | null {
  const gpus = metrics?.gpu_info;
  if (!Array.isArray(gpus) || gpus.length === 0) return null;
  const g = gpus[0] as { vram_used_gb?: unknown; vram_total_gb?: unknown };
  const total = num(g.vram_total_gb);
  const used = num(g.vram_used_gb);
  if (total === null || total <= 0 || used === null) return null;
  const totalMb = Math.round(total * 1024);
  return { device: 'gpu', totalMb, usedMb: Math.round(used * 1024), budgetMb: totalMb, simulated: false };
}

function parseRunId(runId: string): RunRef {
  if (!runId.startsWith(RUN_PREFIX)) throw new AppError('not-found', `"${runId}" is not a nanoCocoa run`);
  try {
    const ref = JSON.parse(runId.slice(RUN_PREFIX.length)) as Partial<RunRef>;
    if (typeof ref.job === 'string' && typeof ref.out === 'string' && (ref.kind === 'background' || ref.kind === 'render_text')) return ref as RunRef;
  } catch {
    // fall through
  }
  throw new AppError('not-found', `"${runId}" is not a readable nanoCocoa run id`);
}
