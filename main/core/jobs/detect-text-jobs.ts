import { AppError, MAX_TEXT_REGIONS, type EventSink, type RegionMaskPayload, type TextRegionPayload } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage } from '../images/image-codec.js';
import type { TextDetector, TextDetectorRegion, TextReaderPort } from '../services-types.js';
import { JobRunner, throwIfAborted, type JobContext, type JobOutcome } from './job-runner.js';

/** What produced the mask, for jobFinished.madeBy. */
const MADE_BY = 'detect-text:ppocrv4';
/** Share of the progress bar for the detector itself and for reading the copy; the rest is storing the region crops. */
const DETECT_SHARE = 0.9;
const DETECT_SHARE_WHEN_READING = 0.55;
/** Region crops encoded and written at once (small PNGs; sharp has its own thread pool). */
const CROP_CONCURRENCY = 4;

/**
 * A region's part of the mask as main/engine/detect-text returns it (RegionMask). The services port
 * does not require it, so older or fake detectors without crops still work (regions then have no `mask`).
 */
interface RegionCrop {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}
type Detection = Awaited<ReturnType<TextDetector['detect']>> & { regionMasks?: readonly RegionCrop[] };

/**
 * Text detection jobs: decode the image asset, run the detector (its own worker thread), store the
 * proposed mask and each region's crop of it as 'mask' assets, and report through events exactly
 * like InpaintJobs: every job ends with exactly one jobFinished (done with result + regions,
 * cancelled, or failed with code and message). Cancel is answered at once; the detector stops its
 * worker run by itself.
 */
export class DetectTextJobs {
  private readonly runner: JobRunner;

  constructor(
    private readonly store: AssetStore,
    private readonly detector: TextDetector,
    emit: EventSink,
    /** Fills each region's text; a failure to read never fails the detection (the text stays null). */
    private readonly reader?: TextReaderPort,
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
    const detectShare = this.reader ? DETECT_SHARE_WHEN_READING : DETECT_SHARE;
    const found: Detection = await this.detector.detect({ image, signal, onProgress: (p, m) => progress(p * detectShare, m) });
    throwIfAborted(signal);
    const kept = found.regions.slice(0, MAX_TEXT_REGIONS);
    const texts = await this.readTexts(image, kept, signal, (p) => progress(detectShare + p * (DETECT_SHARE - detectShare), 'reading the text'));
    const asset = await this.store.putRaw(found.mask, 'mask');
    const regions = kept.map((r, i) => toPayload(texts[i] ? { ...r, text: texts[i]! } : r));
    const crops = new Map((found.regionMasks ?? []).map((c) => [c.id, c]));
    let stored = 0;
    await eachLimited(regions, CROP_CONCURRENCY, async (region) => {
      throwIfAborted(signal);
      const crop = crops.get(region.id);
      const placed = crop ? await this.storeCrop(crop, image.width, image.height) : null;
      if (placed) region.mask = placed;
      progress(DETECT_SHARE + ((1 - DETECT_SHARE) * ++stored) / regions.length, 'storing the region masks');
    });
    return { result: asset, madeBy: MADE_BY, regions };
  }

  /** The copy of each region, or nulls when there is no reader or it fails (detection still counts). */
  private async readTexts(image: Awaited<ReturnType<typeof decodeImage>>, regions: readonly TextDetectorRegion[], signal: AbortSignal, onProgress: (p: number) => void): Promise<Array<string | null>> {
    if (!this.reader || regions.length === 0) return regions.map(() => null);
    try {
      return await this.reader.read({ image, regions: regions.map((r) => ({ polygon: r.polygon, lineHeight: r.lineHeight, angle: r.angle ?? 0 })), signal, onProgress });
    } catch (e) {
      if (signal.aborted || (e instanceof AppError && e.code === 'cancelled')) throw e;
      console.warn(`detect-text: reading the text failed, regions keep no text: ${(e as Error).message}`);
      return regions.map(() => null);
    }
  }

  /** One region's crop as a small 'mask' asset, clipped to the image; null when it masks nothing. */
  private async storeCrop(crop: RegionCrop, width: number, height: number): Promise<RegionMaskPayload | null> {
    const clip = clipCrop(crop, width, height);
    if (!clip) return null;
    const info = await this.store.putRaw({ data: clip.data, width: clip.width, height: clip.height, channels: 1 }, 'mask');
    return { x: clip.x, y: clip.y, width: clip.width, height: clip.height, asset: info.hash };
  }
}

/**
 * The part of a crop inside a width×height image, binarised (255 = text, like the whole mask), and
 * trimmed to its painted pixels so the asset stays small. null when nothing is painted inside.
 */
export function clipCrop(crop: RegionCrop, width: number, height: number): Omit<RegionCrop, 'id'> | null {
  const cw = Math.floor(crop.width);
  const ch = Math.floor(crop.height);
  const cx = Math.floor(crop.x);
  const cy = Math.floor(crop.y);
  if (!(cw > 0 && ch > 0) || crop.data.length < cw * ch) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = Math.max(0, -cy); y < ch && cy + y < height; y++) {
    for (let x = Math.max(0, -cx); x < cw && cx + x < width; x++) {
      if (crop.data[y * cw + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const src = (y0 + y) * cw + x0;
    for (let x = 0; x < w; x++) if (crop.data[src + x] !== 0) data[y * w + x] = 255;
  }
  return { x: cx + x0, y: cy + y0, width: w, height: h, data };
}

/** Run `fn` over `items`, at most `limit` at a time; the first failure rejects and no further item starts. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      try {
        await fn(items[next++]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
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
