import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type EventSink } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage, decodeMask } from '../images/image-codec.js';
import type { CutoutPort } from '../services-types.js';
import { checkCutout } from './check-cutout.js';
import { JobRunner, throwIfAborted, type JobContext, type JobOutcome } from './job-runner.js';
import { follow, inJobFolder, jobFailure, place, type ScheduledTargetSource } from './scheduled-erase.js';
import type { ScheduledTarget } from './scheduler-handlers.js';

/**
 * Cut-out jobs (startCutout): the product of an image asset on a transparent background, stored as
 * a new 'image' asset of the same size. With a scheduler workspace it is an interactive scheduler
 * job (Jobs panel, whatever engine the scheduler drives), else it runs on the in-process engine
 * (worker thread). Either way the result is checked (size, real transparency, not empty) and every
 * job ends with exactly one jobFinished.
 */
export class CutoutJobs {
  private readonly runner: JobRunner;

  constructor(
    private readonly store: AssetStore,
    emit: EventSink,
    private readonly engine: CutoutPort | undefined,
    private readonly scheduled: ScheduledTargetSource | undefined,
  ) {
    this.runner = new JobRunner(emit, 'The cut-out failed');
  }

  has(jobId: string): boolean {
    return this.runner.has(jobId);
  }

  /** `mask`: the user's product selection (a mask asset of the image's size) used instead of segmentation. */
  async start(req: { image: string; mask?: string }): Promise<{ jobId: string }> {
    if (this.runner.closed) throw new AppError('cancelled', 'adstudio is shutting down; the cut-out was not started');
    if (!this.scheduled && !this.engine) throw new AppError('unsupported', 'Cut-out is not available in this build of adstudio (no cut-out engine was set up)');
    // Fails the request itself when the asset is unknown or is a mask.
    const image = await this.store.require(req.image, 'image');
    if (image.kind !== 'image') throw new AppError('bad-request', 'A mask cannot be cut out; choose the product photo');
    if (image.width < 8 || image.height < 8) throw new AppError('bad-image', `The image is too small to cut out (${image.width}×${image.height}; at least 8×8)`);
    if (req.mask !== undefined) {
      const mask = await this.store.require(req.mask, 'product selection');
      if (mask.kind !== 'mask') throw new AppError('bad-request', 'The product selection must be a mask (8-bit, 255 = product), not an image');
      if (mask.width !== image.width || mask.height !== image.height) {
        throw new AppError('bad-request', `The product selection is ${mask.width}×${mask.height} but the photo is ${image.width}×${image.height}; they must be the same size`);
      }
    }
    const size = { width: image.width, height: image.height };
    return this.runner.launch((ctx) => this.run(req.image, req.mask, size, ctx));
  }

  cancel(jobId: string): { cancelled: boolean } {
    return this.runner.cancel(jobId);
  }

  /** Cancel everything and wait until every job has reported its end (the engine is closed by the owner). */
  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private async run(hash: string, maskHash: string | undefined, size: { width: number; height: number }, ctx: JobContext): Promise<JobOutcome> {
    if (this.scheduled) return this.runScheduled(this.scheduled(), hash, maskHash, size, ctx);
    const { signal, progress } = ctx;
    const bytes = await this.store.read(hash);
    // A photo that already has transparency keeps it (the cut-out is never more opaque than its input).
    const image = await decodeImage(bytes, 'keep', 'image');
    const mask = maskHash === undefined ? undefined : await decodeMask(await this.store.read(maskHash), size, 'The product selection');
    throwIfAborted(signal);
    const result = await this.engine!.cutout({ image, ...(mask ? { mask } : {}), signal, onProgress: (p, m) => progress(p * 0.95, m) }).catch((e: unknown) => {
      throw e instanceof AppError ? new AppError(e.code, capitalise(e.message)) : e;
    });
    throwIfAborted(signal);
    await checkCutout(result.image, size, result.madeBy);
    const asset = await this.store.putRaw(result.image, 'image');
    return { result: asset, madeBy: result.madeBy };
  }

  private async runScheduled(
    target: ScheduledTarget,
    hash: string,
    maskHash: string | undefined,
    size: { width: number; height: number },
    { signal, progress }: JobContext,
  ): Promise<JobOutcome> {
    return inJobFolder(target.workspace, 'cutout', async (dir) => {
      const image = await place(this.store, hash, dir, 'image');
      const mask = maskHash === undefined ? undefined : await place(this.store, maskHash, dir, 'mask');
      const out = join(dir, 'cutout.png');
      throwIfAborted(signal);
      const submitted = await target.scheduler.submit({
        title: 'Cut-out',
        priority: 'interactive',
        // The result goes into the asset store and the job folder is removed: no paths to offer.
        outputsKept: false,
        stages: [{ id: 'cutout', kind: 'cutout', model: null, inputs: { image, ...(mask ? { mask } : {}) }, outputs: { image: out }, params: { method: 'auto' } }],
      });
      const finished = await follow(target.scheduler, submitted, signal, progress);
      const stage = finished.stages[0];
      if (finished.status === 'cancelled') throw new AppError('cancelled', 'Cancelled');
      // The stage's own error: the job's repeats it behind a "Stage \"cutout\":" prefix.
      if (finished.status !== 'done' || !stage) throw jobFailure(stage?.error ?? finished.error, 'The cut-out failed', capitalise);
      const madeBy = stage.madeBy ?? (mask ? 'cutout:mask' : 'cutout');
      const bytes = new Uint8Array(await readFile(stage.outputs.image ?? out));
      await checkCutout(bytes, size, madeBy);
      return { result: await this.store.put(bytes, 'image'), madeBy };
    });
  }
}

/** Engine messages start in lower case ("no clear product…"); the editor shows them as sentences. */
export function capitalise(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
