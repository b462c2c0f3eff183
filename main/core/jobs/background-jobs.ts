import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError, LIMITS, type AssetInfo, type EventPayload, type EventSink } from '../../../preload/contract/index.js';
import { BACKGROUND_PRESETS, type BackgroundPreset } from '../../../preload/contract/ad-layout.js';
import { extractPalette } from '../../engine/background/palette.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage } from '../images/image-codec.js';
import type { BackgroundPalette, BackgroundPort } from '../services-types.js';
import { capitalise } from './cutout-jobs.js';
import { JobRunner, throwIfAborted, type JobContext, type JobOutcome } from './job-runner.js';
import { follow, inJobFolder, jobFailure, place, type ScheduledTargetSource } from './scheduled-erase.js';
import type { ScheduledTarget } from './scheduler-handlers.js';

export interface BackgroundJobsRequest {
  width: number;
  height: number;
  presets?: BackgroundPreset[] | undefined;
  paletteFrom?: string | undefined;
  seed?: number | undefined;
  prompt?: string | undefined;
}

type Candidate = NonNullable<EventPayload<'jobFinished'>['candidates']>[number];

/** The seed when none is asked for: the CLI's default, so the same request gives the same candidates. */
const DEFAULT_SEED = 1;
/** Candidates rendered at once in process (the background engine's pool has two workers). */
const IN_PROCESS_CONCURRENCY = 2;

export const PROMPT_UNSUPPORTED_MESSAGE =
  'The embedded engine cannot generate a background from a prompt: that needs a GPU engine (start one in the Engines panel and choose it under "Run jobs on"). The presets work offline without one';

/**
 * Background candidates (startBackgrounds): one backdrop per preset (default every preset), all with
 * the same seed and the colours of `paletteFrom` (the cut-out), each stored as an 'image' asset and
 * reported in jobFinished.candidates with who made it ("embedded · sweep · seed 7"). With a scheduler
 * workspace they are one interactive scheduler job (a stage per candidate, Jobs panel) on the engine
 * it drives; else they are drawn by the in-process engine (worker threads). Progress is per
 * candidate; cancel stops between and within candidates.
 */
export class BackgroundJobs {
  private readonly runner: JobRunner;

  constructor(
    private readonly store: AssetStore,
    emit: EventSink,
    private readonly engine: BackgroundPort | undefined,
    /** The scheduler and the name of the engine it drives ("embedded", "simulated-gpu", …), asked per job. */
    private readonly scheduled: ScheduledTargetSource | undefined,
  ) {
    this.runner = new JobRunner(emit, 'Drawing the backgrounds failed');
  }

  /** The engine that draws the candidates, as the user sees it in madeBy. */
  get engineName(): string {
    return this.scheduled?.().engine ?? 'embedded';
  }

  has(jobId: string): boolean {
    return this.runner.has(jobId);
  }

  async start(req: BackgroundJobsRequest): Promise<{ jobId: string }> {
    if (this.runner.closed) throw new AppError('cancelled', 'adstudio is shutting down; the backgrounds were not started');
    if (!this.scheduled && !this.engine) throw new AppError('unsupported', 'Backgrounds are not available in this build of adstudio (no background engine was set up)');
    const target = this.scheduled?.();
    // The embedded engine only draws presets; a prompt must not silently become one.
    if (req.prompt !== undefined && (target?.engine ?? 'embedded') === 'embedded') throw new AppError('unsupported', PROMPT_UNSUPPORTED_MESSAGE);
    if (req.width * req.height > LIMITS.maxPixels || req.width > LIMITS.maxSide || req.height > LIMITS.maxSide) {
      throw new AppError('too-large', `A ${req.width}×${req.height} background is over the limit (${LIMITS.maxSide} px per side, ${LIMITS.maxPixels / 1e6} MP)`);
    }
    const presets = [...new Set(req.presets ?? BACKGROUND_PRESETS)];
    const unknown = presets.find((p) => !BACKGROUND_PRESETS.includes(p));
    if (unknown) throw new AppError('bad-request', `Unknown background preset "${unknown}"; available: ${BACKGROUND_PRESETS.join(', ')}`);
    if (req.paletteFrom) await this.store.require(req.paletteFrom, 'image to take the colours from');
    const plan = { ...req, presets, seed: req.seed ?? DEFAULT_SEED };
    return this.runner.launch((ctx) => (target ? this.runScheduled(target, plan, ctx) : this.runInProcess(this.engine!, plan, ctx)));
  }

  cancel(jobId: string): { cancelled: boolean } {
    return this.runner.cancel(jobId);
  }

  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private async runInProcess(engine: BackgroundPort, req: Plan, { signal, progress }: JobContext): Promise<JobOutcome> {
    const palette = req.paletteFrom ? await this.palette(req.paletteFrom) : undefined;
    throwIfAborted(signal);
    const done = new Float64Array(req.presets.length);
    let finished = 0;
    const report = () => progress((done.reduce((a, b) => a + b, 0) / done.length) * 0.98, `${finished} of ${done.length} backgrounds`);
    const candidates: Candidate[] = new Array(req.presets.length);
    await eachLimited(req.presets, IN_PROCESS_CONCURRENCY, async (preset, i) => {
      throwIfAborted(signal);
      const b = await engine.render({
        preset,
        width: req.width,
        height: req.height,
        seed: req.seed,
        ...(palette ? { palette } : {}),
        signal,
        onProgress: (p) => {
          done[i] = Math.min(p, 0.95);
          report();
        },
      });
      throwIfAborted(signal);
      const asset = await this.store.putRaw({ data: b.rgb, width: req.width, height: req.height, channels: 3 }, 'image');
      done[i] = 1;
      finished++;
      report();
      candidates[i] = candidate(asset, 'embedded', preset, req.seed);
    });
    return { candidates };
  }

  private async runScheduled(target: ScheduledTarget, req: Plan, { signal, progress }: JobContext): Promise<JobOutcome> {
    return inJobFolder(target.workspace, 'backgrounds', async (dir) => {
      const palette = req.paletteFrom ? await place(this.store, req.paletteFrom, dir, 'palette') : undefined;
      throwIfAborted(signal);
      const outs = req.presets.map((preset, i) => join(dir, `${i + 1}-${preset}.png`));
      const submitted = await target.scheduler.submit({
        title: `Backgrounds (${req.presets.length})`,
        priority: 'interactive',
        // The result goes into the asset store and the job folder is removed: no paths to offer.
        outputsKept: false,
        stages: req.presets.map((preset, i) => ({
          id: `background-${i + 1}-${preset}`,
          kind: 'background' as const,
          model: null,
          inputs: (palette ? { palette } : {}) as Record<string, string>,
          outputs: { image: outs[i]! },
          params: { preset, width: req.width, height: req.height, seed: req.seed, ...(req.prompt ? { prompt: req.prompt } : {}) },
        })),
      });
      const describe = (r: { stages: { status: string }[] }) => {
        const ended = r.stages.filter((s) => s.status === 'done').length;
        return r.stages.every((s) => s.status === 'waiting') ? 'Waiting for the engine' : `${ended} of ${r.stages.length} backgrounds`;
      };
      const finished = await follow(target.scheduler, submitted, signal, (p, m) => progress(p * 0.98, m), describe);
      if (finished.status === 'cancelled') throw new AppError('cancelled', 'Cancelled');
      if (finished.status !== 'done') throw jobFailure(finished.stages.find((s) => s.error)?.error ?? finished.error, 'Drawing the backgrounds failed', capitalise);
      const candidates: Candidate[] = [];
      for (const [i, preset] of req.presets.entries()) {
        throwIfAborted(signal);
        const stage = finished.stages[i];
        let bytes = new Uint8Array(await readFile(stage?.outputs.image ?? outs[i]!));
        const meta = await sharp(bytes).metadata();
        let fitted = '';
        if (meta.width !== req.width || meta.height !== req.height) {
          // A diffusion model draws at its own size (nanoCocoa: 1024²): fill the ad, cropping the overflow evenly.
          if (!req.prompt) throw new AppError('engine', `The ${target.engine} engine drew the ${preset} background at ${meta.width}×${meta.height}, not ${req.width}×${req.height}`);
          bytes = new Uint8Array(await sharp(bytes).resize(req.width, req.height, { fit: 'cover', position: 'centre' }).png().toBuffer());
          fitted = ` · fitted from ${meta.width}×${meta.height}`;
        }
        const made = candidate(await this.store.put(bytes, 'image'), target.engine, preset, req.seed);
        candidates.push({ ...made, madeBy: made.madeBy + fitted });
      }
      return { candidates };
    });
  }

  /** The product's colours (the cut-out's opaque pixels): decoded by sharp, a sampled k-means. */
  private async palette(hash: string): Promise<BackgroundPalette> {
    const bytes = await this.store.read(hash);
    const img = await decodeImage(bytes, 'keep', 'image to take the colours from');
    return extractPalette(img.data, img.width, img.height, img.channels as 3 | 4);
  }
}

type Plan = BackgroundJobsRequest & { presets: BackgroundPreset[]; seed: number };

function candidate(asset: AssetInfo, engine: string, preset: BackgroundPreset, seed: number): Candidate {
  return { asset, madeBy: `${engine} · ${preset} · seed ${seed}`, preset, seed };
}

/** Run `fn` over `items`, at most `limit` at a time; the first failure rejects and no further item starts. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
