import { randomUUID } from 'node:crypto';
import { AppError, MAX_TEXT_REGIONS, type EventPayload, type EventSink, type TextRegionPayload } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage } from '../images/image-codec.js';
import type { TextDetector, TextDetectorRegion } from '../services-types.js';
import { createProgressThrottle } from './progress-throttle.js';

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

/** What produced the mask, for jobFinished.madeBy. */
const MADE_BY = 'detect-text:ppocrv4';

/**
 * Text detection jobs: decode the image asset, run the detector (its own worker thread), store the
 * proposed mask as a 'mask' asset and report through events, exactly like InpaintJobs: every job
 * ends with exactly one jobFinished (done with result + regions, cancelled, or failed with code and
 * message). Cancel is answered at once; the detector stops its worker run by itself.
 */
export class DetectTextJobs {
  private readonly jobs = new Map<string, RunningJob>();
  private closed = false;

  constructor(
    private readonly store: AssetStore,
    private readonly detector: TextDetector,
    private readonly emit: EventSink,
  ) {}

  /** Whether `jobId` is one of ours (cancelJob is shared with the erase jobs). */
  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  async start(req: { image: string }): Promise<{ jobId: string }> {
    if (this.closed) throw new AppError('cancelled', 'adstudio is shutting down; text detection was not started');
    // Fails the request itself when the asset is unknown or is a mask.
    await this.store.require(req.image, 'image');
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: RunningJob = { controller, settled: Promise.resolve() };
    this.jobs.set(jobId, job);
    // Deferred a tick so the caller has the job id before the first event is sent.
    job.settled = new Promise<void>((r) => setImmediate(r))
      .then(() => this.run(jobId, req.image, controller.signal))
      .finally(() => this.jobs.delete(jobId));
    return { jobId };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job || job.controller.signal.aborted) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** Cancel everything and wait until every job has reported its end (the detector is closed by the owner). */
  async dispose(): Promise<void> {
    this.closed = true;
    const running = [...this.jobs.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.settled));
  }

  private async run(jobId: string, imageHash: string, signal: AbortSignal): Promise<void> {
    const progress = createProgressThrottle((p, message) => this.emit('jobProgress', { jobId, progress: p, ...(message ? { message } : {}) }));
    const finish = (payload: Omit<EventPayload<'jobFinished'>, 'jobId'>) => {
      this.jobs.delete(jobId);
      this.emit('jobFinished', { jobId, ...payload });
    };
    try {
      progress.update(0, 'Preparing');
      const image = await decodeImage(await this.store.read(imageHash), 3, 'image');
      throwIfAborted(signal);
      const found = await this.detector.detect({ image, signal, onProgress: (p, m) => progress.update(p, m) });
      throwIfAborted(signal);
      const asset = await this.store.putRaw(found.mask, 'mask');
      throwIfAborted(signal);
      progress.finish('Done');
      finish({ status: 'done', result: asset, madeBy: MADE_BY, regions: found.regions.slice(0, MAX_TEXT_REGIONS).map(toPayload) });
    } catch (e) {
      if (signal.aborted || (e instanceof AppError && e.code === 'cancelled')) {
        finish({ status: 'cancelled' });
      } else {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'engine', message: `Text detection failed: ${(e as Error)?.message ?? String(e)}` };
        finish({ status: 'failed', error });
      }
    }
  }
}

function toPayload(r: TextDetectorRegion): TextRegionPayload {
  return {
    id: r.id,
    polygon: r.polygon.map(([x, y]) => [x, y] as [number, number]),
    box: { ...r.box },
    score: Math.min(Math.max(r.score, 0), 1),
    lineHeight: r.lineHeight,
    text: r.text ?? null,
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
}
