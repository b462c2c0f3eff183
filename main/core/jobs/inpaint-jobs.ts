import { AppError, type EventSink } from '../../../preload/contract/index.js';
import type { InpaintEngine } from '../../engine/inpaint-engine.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage, decodeMask } from '../images/image-codec.js';
import { JobRunner, throwIfAborted, type JobContext, type JobOutcome } from './job-runner.js';
import { runScheduledErase, type ScheduledTargetSource } from './scheduled-erase.js';

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
  private readonly runner: JobRunner;

  constructor(
    private readonly store: AssetStore,
    private readonly engine: InpaintEngine,
    emit: EventSink,
    /** When given, erases run as interactive jobs of the stage scheduler (Jobs panel, priority over batch work). */
    private readonly scheduled?: ScheduledTargetSource,
  ) {
    this.runner = new JobRunner(emit, 'The erase failed');
  }

  async start(req: InpaintJobRequest): Promise<{ jobId: string }> {
    if (this.runner.closed) throw new AppError('cancelled', 'adstudio is shutting down; the erase was not started');
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
    return this.runner.launch((ctx) => this.run(req, ctx));
  }

  cancel(jobId: string): { cancelled: boolean } {
    return this.runner.cancel(jobId);
  }

  /** Cancel everything and wait until every job has reported its end. */
  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private async run(req: InpaintJobRequest, ctx: JobContext): Promise<JobOutcome> {
    if (this.scheduled) return runScheduledErase(this.scheduled(), this.store, req, ctx);
    const { signal, progress } = ctx;
    const image = await decodeImage(await this.store.read(req.image), 4, 'image');
    const mask = await decodeMask(await this.store.read(req.mask), { width: image.width, height: image.height }, 'mask');
    throwIfAborted(signal);
    const result = await untilAborted(this.engine.inpaint({ image, mask, method: req.method, signal, onProgress: progress }), signal);
    const asset = await this.store.putRaw(result.image, 'image');
    return { result: asset, madeBy: result.madeBy };
  }
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
