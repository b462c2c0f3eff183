import { AppError, MAX_TEXT_REGIONS, type EventSink, type TextRegionPayload } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage } from '../images/image-codec.js';
import type { TextDetector, TextDetectorRegion } from '../services-types.js';
import { JobRunner, throwIfAborted, type JobContext, type JobOutcome } from './job-runner.js';

/** What produced the mask, for jobFinished.madeBy. */
const MADE_BY = 'detect-text:ppocrv4';

/**
 * Text detection jobs: decode the image asset, run the detector (its own worker thread), store the
 * proposed mask as a 'mask' asset and report through events, exactly like InpaintJobs: every job
 * ends with exactly one jobFinished (done with result + regions, cancelled, or failed with code and
 * message). Cancel is answered at once; the detector stops its worker run by itself.
 */
export class DetectTextJobs {
  private readonly runner: JobRunner;

  constructor(
    private readonly store: AssetStore,
    private readonly detector: TextDetector,
    emit: EventSink,
  ) {
    this.runner = new JobRunner(emit, 'Text detection failed');
  }

  /** Whether `jobId` is one of ours (cancelJob is shared with the erase jobs). */
  has(jobId: string): boolean {
    return this.runner.has(jobId);
  }

  async start(req: { image: string }): Promise<{ jobId: string }> {
    if (this.runner.closed) throw new AppError('cancelled', 'adstudio is shutting down; text detection was not started');
    // Fails the request itself when the asset is unknown or is a mask.
    await this.store.require(req.image, 'image');
    return this.runner.launch((ctx) => this.run(req.image, ctx));
  }

  cancel(jobId: string): { cancelled: boolean } {
    return this.runner.cancel(jobId);
  }

  /** Cancel everything and wait until every job has reported its end (the detector is closed by the owner). */
  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private async run(imageHash: string, { signal, progress }: JobContext): Promise<JobOutcome> {
    const image = await decodeImage(await this.store.read(imageHash), 3, 'image');
    throwIfAborted(signal);
    const found = await this.detector.detect({ image, signal, onProgress: progress });
    throwIfAborted(signal);
    const asset = await this.store.putRaw(found.mask, 'mask');
    return { result: asset, madeBy: MADE_BY, regions: found.regions.slice(0, MAX_TEXT_REGIONS).map(toPayload) };
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
