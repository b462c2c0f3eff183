import { randomUUID } from 'node:crypto';
import { AppError, type EventPayload, type EventSink } from '../../../preload/contract/index.js';
import type { InpaintEngine } from '../../engine/inpaint-engine.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage, decodeMask } from '../images/image-codec.js';
import { createProgressThrottle } from './progress-throttle.js';

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

export interface InpaintJobRequest {
  image: string;
  mask: string;
  method?: string;
}

/**
 * Erase jobs: decode the assets, run the engine off the event loop (the engine uses worker
 * threads), store the result as a new asset and report through events. Every job ends with
 * exactly one jobFinished: done, cancelled or failed. Cancel is answered at once; an engine that
 * is slow to stop is left to finish in the background and its result is dropped.
 */
export class InpaintJobs {
  private readonly jobs = new Map<string, RunningJob>();
  private closed = false;

  constructor(
    private readonly store: AssetStore,
    private readonly engine: InpaintEngine,
    private readonly emit: EventSink,
  ) {}

  async start(req: InpaintJobRequest): Promise<{ jobId: string }> {
    if (this.closed) throw new AppError('cancelled', 'adstudio is shutting down; the erase was not started');
    // Cheap checks from the asset sidecars, so obvious mistakes fail the request itself.
    const image = await this.store.require(req.image, 'image');
    const mask = await this.store.require(req.mask, 'mask');
    if (image.width !== mask.width || image.height !== mask.height) {
      throw new AppError('size-mismatch', `The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must be the same size`);
    }
    if (req.method && !this.engine.methods().some((m) => m.id === req.method)) {
      const known = this.engine.methods().map((m) => m.id).join(', ');
      throw new AppError('bad-request', `Unknown erase method "${req.method}"; available: ${known}`);
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: RunningJob = { controller, settled: Promise.resolve() };
    this.jobs.set(jobId, job);
    // Deferred a tick so the caller has the job id before the first event is sent.
    job.settled = new Promise<void>((r) => setImmediate(r))
      .then(() => this.run(jobId, req, controller.signal))
      .finally(() => this.jobs.delete(jobId));
    return { jobId };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job || job.controller.signal.aborted) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** Cancel everything and wait until every job has reported its end. */
  async dispose(): Promise<void> {
    this.closed = true;
    const running = [...this.jobs.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.settled));
  }

  private async run(jobId: string, req: InpaintJobRequest, signal: AbortSignal): Promise<void> {
    const progress = createProgressThrottle((p, message) => this.emit('jobProgress', { jobId, progress: p, ...(message ? { message } : {}) }));
    // Forget the job before announcing its end, so a cancel after jobFinished answers false.
    const finish = (payload: Omit<EventPayload<'jobFinished'>, 'jobId'>) => {
      this.jobs.delete(jobId);
      this.emit('jobFinished', { jobId, ...payload });
    };
    try {
      progress.update(0, 'Preparing');
      const image = await decodeImage(await this.store.read(req.image), 4, 'image');
      const mask = await decodeMask(await this.store.read(req.mask), { width: image.width, height: image.height }, 'mask');
      throwIfAborted(signal);
      const result = await untilAborted(
        this.engine.inpaint({ image, mask, method: req.method, signal, onProgress: (p, m) => progress.update(p, m) }),
        signal,
      );
      const asset = await this.store.putRaw(result.image, 'image');
      throwIfAborted(signal);
      progress.finish('Done');
      finish({ status: 'done', result: asset, madeBy: result.madeBy });
    } catch (e) {
      if (signal.aborted || (e instanceof AppError && e.code === 'cancelled')) {
        finish({ status: 'cancelled' });
      } else {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'engine', message: `The erase failed: ${(e as Error)?.message ?? String(e)}` };
        finish({ status: 'failed', error });
      }
    }
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
}

/** Settles with `work`, or rejects as soon as `signal` aborts (work's late outcome is ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('cancelled', 'Cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
