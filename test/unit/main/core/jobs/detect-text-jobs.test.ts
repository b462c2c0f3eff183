import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, eventChannels, invokeChannels } from '../../../../../preload/contract/index.js';
import { decodeMask } from '../../../../../main/core/images/image-codec.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { Services } from '../../../../../main/core/services-types.js';
import { clipCrop } from '../../../../../main/core/jobs/detect-text-jobs.js';
import type { TextDetector, TextDetectorRegion, TextReaderPort } from '../../../../../main/core/services-types.js';
import { createTextDetector } from '../../../../../main/engine/detect-text/index.js';
import { eventLog } from '../support/event-log.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { fixture } from '../support/test-images.js';

type Box = readonly [x0: number, y0: number, x1: number, y1: number];
/** Text lines of the apples ad read off by eye (same as the detector's own test): top copy and bottom bar. */
const APPLES_LINES: readonly Box[] = [
  [420, 72, 606, 126],
  [360, 155, 662, 232],
  [450, 237, 575, 262],
  [122, 954, 214, 976],
  [122, 981, 360, 1000],
  [679, 954, 902, 976],
  [750, 983, 902, 1001],
];

function coverage(mask: RawImage, [x0, y0, x1, y1]: Box): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (mask.data[y * mask.width + x]) n++;
  return n / ((x1 - x0) * (y1 - y0));
}

async function servicesIn(dir: string, withDetector: boolean | TextDetector, textReader?: TextReaderPort): Promise<Services> {
  return createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: meanFillTestEngine(),
    // The real PP-OCRv4 detector in its real worker (or a given one); services.dispose() closes it.
    ...(withDetector === true ? { textDetector: createTextDetector() } : withDetector ? { textDetector: withDetector } : {}),
    ...(textReader ? { textReader } : {}),
  });
}

async function readMask(services: Services, hash: string, size?: { width: number; height: number }): Promise<RawImage> {
  const file = await services.assetFile(hash);
  if (!file) throw new Error(`asset ${hash} is missing`);
  return decodeMask(await readFile(file.path), size);
}

describe('startDetectText through createServices (real detector)', () => {
  let dir: string;
  let services: Services;
  const log = eventLog();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adstudio-detect-'));
    services = await servicesIn(dir, true);
    services.onEvent(log.sink);
  });
  afterAll(async () => {
    await services?.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const putApples = async () =>
    services.handlers.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('ad-apples-korean-text.png'))), name: 'ad-apples-korean-text.png' });

  it('reports progress, then a mask asset of the image size over the text lines, and the regions', async () => {
    const image = await putApples();
    const { jobId } = invokeChannels.startDetectText.response.parse(await services.handlers.startDetectText({ image: image.hash }));
    const done = await log.waitFinished(jobId, 60_000);
    expect(eventChannels.jobFinished.parse(done)).toEqual(done);
    expect(done.status, JSON.stringify(done.error)).toBe('done');

    const steps = log.progress(jobId).map((e) => e.payload.progress);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(1);

    const result = done.result!;
    expect(result).toMatchObject({ kind: 'mask', width: image.width, height: image.height, mime: 'image/png' });
    expect(await services.handlers.getAssetInfo({ hash: result.hash })).toEqual(result);
    const file = await services.assetFile(result.hash);
    const mask = await decodeMask(await readFile(file!.path), { width: image.width, height: image.height });
    for (const line of APPLES_LINES) expect(coverage(mask, line), `mask over ${line.join(',')}`).toBeGreaterThan(0.5);
    // Most of the photo (the apples) stays unmasked.
    expect(mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length).toBeLessThan(0.15);

    const regions = done.regions!;
    expect(regions.length).toBeGreaterThanOrEqual(APPLES_LINES.length - 1);
    expect(regions.map((r) => r.id)).toEqual(regions.map((_, i) => i + 1));
    for (const r of regions) {
      expect(r.text).toBeNull();
      expect(r.box.x + r.box.w).toBeLessThanOrEqual(image.width);
      expect(r.box.y + r.box.h).toBeLessThanOrEqual(image.height);
      expect(r.lineHeight).toBeGreaterThan(5);
    }
    // The headline "2만 5천원" is found as a region of its own.
    expect(regions.some((r) => r.box.x < 380 && r.box.x + r.box.w > 640 && r.box.y < 175 && r.box.y + r.box.h > 215)).toBe(true);

    // Each region carries its own crop of the mask (for per-region toggles), around its line...
    const union = new Uint8Array(mask.data.length);
    for (const r of regions) {
      const crop = r.mask!;
      expect(crop, `region ${r.id}`).toBeDefined();
      expect(await services.handlers.getAssetInfo({ hash: crop.asset })).toMatchObject({ kind: 'mask', width: crop.width, height: crop.height });
      const pixels = await readMask(services, crop.asset, { width: crop.width, height: crop.height });
      const pad = Math.ceil(r.lineHeight) + 4;
      expect(crop.x).toBeGreaterThanOrEqual(r.box.x - pad);
      expect(crop.y).toBeGreaterThanOrEqual(r.box.y - pad);
      expect(crop.x + crop.width).toBeLessThanOrEqual(r.box.x + r.box.w + pad);
      expect(crop.y + crop.height).toBeLessThanOrEqual(r.box.y + r.box.h + pad);
      for (let y = 0; y < crop.height; y++) {
        for (let x = 0; x < crop.width; x++) if (pixels.data[y * crop.width + x]) union[(crop.y + y) * image.width + crop.x + x] = 255;
      }
    }
    // ...and together the crops are exactly the proposed mask, pixel for pixel.
    expect(Buffer.from(union).equals(Buffer.from(mask.data))).toBe(true);
  }, 90_000);

  it('cancels a detection while the network runs: one prompt jobFinished, cancelled, no result', async () => {
    const image = await putApples();
    const { jobId } = await services.handlers.startDetectText({ image: image.hash });
    // 'Preparing' is sent first; the network then runs for seconds before the next progress.
    while (log.progress(jobId).length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 400));
    expect(log.finished(jobId)).toEqual([]);
    const cancelledAt = performance.now();
    expect(await services.handlers.cancelJob({ jobId })).toEqual({ cancelled: true });
    const end = await log.waitFinished(jobId, 10_000);
    // Usually tens of ms; on a loaded machine at most the detector's 2 s cancel grace (worker terminated).
    expect(performance.now() - cancelledAt).toBeLessThan(3000);
    expect(end).toEqual({ jobId, status: 'cancelled' });
    expect(await services.handlers.cancelJob({ jobId })).toEqual({ cancelled: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(log.finished(jobId)).toHaveLength(1);
  }, 60_000);

  it('an unknown image fails the request with a clear error and starts no job', async () => {
    const before = log.events.length;
    const err = await services.handlers.startDetectText({ image: 'ab'.repeat(32) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'not-found', message: expect.stringContaining('is not in the asset store') });
    expect(log.events.length).toBe(before);
  });
});

/** A detector that answers at once with fixed regions and crops (what the job does with them is under test). */
function fixedDetector(width: number, height: number, regions: TextDetectorRegion[], regionMasks?: { id: number; x: number; y: number; width: number; height: number; data: Uint8Array }[]): TextDetector {
  return {
    async detect() {
      const data = new Uint8Array(width * height);
      for (const c of regionMasks ?? []) {
        for (let y = 0; y < c.height; y++) {
          for (let x = 0; x < c.width; x++) {
            const ix = c.x + x;
            const iy = c.y + y;
            if (c.data[y * c.width + x] && ix >= 0 && iy >= 0 && ix < width && iy < height) data[iy * width + ix] = 255;
          }
        }
      }
      return { mask: { data, width, height, channels: 1 }, regions, ...(regionMasks ? { regionMasks } : {}) };
    },
    async close() {},
  };
}

const region = (id: number, x: number, y: number, w: number, h: number): TextDetectorRegion => ({
  id,
  polygon: [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ],
  box: { x, y, w, h },
  score: 0.9,
  lineHeight: h,
});

describe('region crops (fixed detector)', () => {
  const W = 64;
  const H = 48;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adstudio-detect-crops-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function detectWith(detector: TextDetector, reader?: TextReaderPort) {
    const services = await servicesIn(join(dir, String(Math.random()).slice(2)), detector, reader);
    const log = eventLog();
    services.onEvent(log.sink);
    const png = await sharp({ create: { width: W, height: H, channels: 3, background: '#808080' } }).png().toBuffer();
    const image = await services.handlers.putAsset({ kind: 'image', bytes: new Uint8Array(png) });
    const { jobId } = await services.handlers.startDetectText({ image: image.hash });
    const done = await log.waitFinished(jobId);
    expect(eventChannels.jobFinished.parse(done)).toEqual(done);
    return { services, done };
  }

  it('stores overlapping crops whole, clips one that pokes out of the image, and gives an empty one no mask', async () => {
    const solid = (w: number, h: number) => new Uint8Array(w * h).fill(255);
    const ring = new Uint8Array(10 * 10);
    for (let i = 0; i < 10; i++) ring[i] = ring[90 + i] = ring[i * 10] = ring[i * 10 + 9] = 255;
    const { services, done } = await detectWith(
      fixedDetector(
        W,
        H,
        [region(1, 4, 4, 20, 10), region(2, 14, 8, 20, 10), region(3, 50, 30, 10, 10), region(4, 30, 30, 6, 6)],
        [
          { id: 1, x: 2, y: 2, width: 24, height: 14, data: solid(24, 14) },
          // Overlaps region 1 by 10×6 pixels.
          { id: 2, x: 12, y: 10, width: 24, height: 12, data: solid(24, 12) },
          // Half outside the right edge; ring-shaped, so only the part inside counts.
          { id: 3, x: 58, y: 30, width: 10, height: 10, data: ring },
          { id: 4, x: 30, y: 30, width: 6, height: 6, data: new Uint8Array(36) },
        ],
      ),
    );
    try {
      expect(done.status).toBe('done');
      const [r1, r2, r3, r4] = done.regions!;
      expect(r1!.mask).toMatchObject({ x: 2, y: 2, width: 24, height: 14 });
      expect(r2!.mask).toMatchObject({ x: 12, y: 10, width: 24, height: 12 });
      // Clipped to x < 64: the ring's left column (x = 58) and its top/bottom rows up to x = 63.
      expect(r3!.mask).toMatchObject({ x: 58, y: 30, width: 6, height: 10 });
      const ringInside = await readMask(services, r3!.mask!.asset, { width: 6, height: 10 });
      expect([...ringInside.data.subarray(0, 6)]).toEqual([255, 255, 255, 255, 255, 255]);
      expect([...ringInside.data.subarray(6, 12)]).toEqual([255, 0, 0, 0, 0, 0]);
      expect(r4!.mask).toBeUndefined();
      // Overlap kept in both crops: turning region 2 off must leave region 1 whole.
      const c1 = await readMask(services, r1!.mask!.asset, { width: 24, height: 14 });
      expect(c1.data.every((v) => v === 255)).toBe(true);
    } finally {
      await services.dispose();
    }
  });

  it('fills each region’s text from the reader, and a reader that fails leaves the text null but the detection done', async () => {
    const asked: number[] = [];
    // A test double of the tesseract reader (the real one is tested in test/unit/main/engine/read-text).
    const readerDouble: TextReaderPort = {
      read: async ({ regions, onProgress }) => {
        asked.push(regions.length);
        onProgress?.(1);
        return regions.map((_, i) => (i === 0 ? '오늘만 특가' : null));
      },
      close: async () => {},
    };
    const read = await detectWith(fixedDetector(W, H, [region(1, 4, 4, 20, 10), region(2, 30, 30, 6, 6)]), readerDouble);
    try {
      expect(read.done.regions!.map((r) => r.text)).toEqual(['오늘만 특가', null]);
      expect(asked).toEqual([2]);
    } finally {
      await read.services.dispose();
    }
    const broken: TextReaderPort = { read: async () => Promise.reject(new Error('wasm missing')), close: async () => {} };
    const unread = await detectWith(fixedDetector(W, H, [region(1, 4, 4, 20, 10)]), broken);
    try {
      expect(unread.done.status).toBe('done');
      expect(unread.done.regions!.map((r) => r.text)).toEqual([null]);
    } finally {
      await unread.services.dispose();
    }
  });

  it('a detector without crops still reports its regions, without masks', async () => {
    const { services, done } = await detectWith(fixedDetector(W, H, [region(1, 4, 4, 20, 10)]));
    try {
      expect(done.status).toBe('done');
      expect(done.regions).toHaveLength(1);
      expect(done.regions![0]!.mask).toBeUndefined();
    } finally {
      await services.dispose();
    }
  });

  it('clipCrop trims to the painted pixels and binarises them', () => {
    const data = new Uint8Array(5 * 4);
    data[1 * 5 + 2] = 1;
    data[2 * 5 + 3] = 200;
    expect(clipCrop({ id: 1, x: 10, y: 20, width: 5, height: 4, data }, 100, 100)).toEqual({ x: 12, y: 21, width: 2, height: 2, data: new Uint8Array([255, 0, 0, 255]) });
    // Entirely outside the image, or nothing painted: no crop at all.
    expect(clipCrop({ id: 1, x: -10, y: 0, width: 5, height: 4, data }, 100, 100)).toBeNull();
    expect(clipCrop({ id: 1, x: 0, y: 0, width: 5, height: 4, data: new Uint8Array(20) }, 100, 100)).toBeNull();
    // A crop whose data is shorter than it claims is refused rather than read past its end.
    expect(clipCrop({ id: 1, x: 0, y: 0, width: 5, height: 4, data: new Uint8Array(3) }, 100, 100)).toBeNull();
  });
});

describe('startDetectText without a detector', () => {
  it("answers 'unsupported' with a message saying detection is not available", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adstudio-detect-'));
    const services = await servicesIn(dir, false);
    try {
      const err = await services.handlers.startDetectText({ image: 'ab'.repeat(32) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'unsupported', message: expect.stringContaining('Text detection is not available') });
    } finally {
      await services.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
