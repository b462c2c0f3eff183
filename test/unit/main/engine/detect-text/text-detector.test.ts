import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { decodeImage } from '../../../../../main/core/images/image-codec.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { createTextDetector, type DetectTextResult } from '../../../../../main/engine/detect-text/index.js';
import { makeImage } from '../synthetic.js';
import { SCENES, renderScene, scoreMask } from './synthetic-text.js';
import { fixture } from '../../../../support/fixtures.js';

// The real PP-OCRv4 network in a real worker thread, shared by all tests (loaded once).
const detector = createTextDetector();
afterAll(() => detector.close());

/** Set DETECT_TEXT_OVERLAYS=<dir> to get the masks drawn over the images, for looking at them. */
const overlayDir = process.env.DETECT_TEXT_OVERLAYS;
async function saveOverlay(name: string, image: RawImage, result: DetectTextResult): Promise<void> {
  if (!overlayDir) return;
  mkdirSync(overlayDir, { recursive: true });
  const { width: W, height: H } = image;
  const rgb = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * image.channels + Math.min(c, image.channels - 1)]!;
    if (result.mask.data[i]) {
      rgb[i * 3] = (rgb[i * 3]! + 255) >> 1;
      rgb[i * 3 + 1] = rgb[i * 3 + 1]! >> 1;
      rgb[i * 3 + 2] = (rgb[i * 3 + 2]! + 255) >> 1;
    }
  }
  const outlines = result.regions.map((r) => `<polygon points="${r.polygon.map((p) => p.join(',')).join(' ')}" fill="none" stroke="#00ff00"/>`).join('');
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${outlines}</svg>`) }])
    .png()
    .toFile(join(overlayDir, `${name}.png`));
}

type Box = readonly [x0: number, y0: number, x1: number, y1: number];

function iou(a: Box, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a[2], b.x + b.w) - Math.max(a[0], b.x));
  const iy = Math.max(0, Math.min(a[3], b.y + b.h) - Math.max(a[1], b.y));
  const inter = ix * iy;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + b.w * b.h - inter);
}

function coverage(mask: RawImage, [x0, y0, x1, y1]: Box): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (mask.data[y * mask.width + x]) n++;
  return n / ((x1 - x0) * (y1 - y0));
}

/** Share of the whole image masked farther than `margin` px from every expected box. */
function strayShare(mask: RawImage, boxes: readonly Box[], margin: number): number {
  let stray = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      if (!boxes.some(([x0, y0, x1, y1]) => x >= x0 - margin && x < x1 + margin && y >= y0 - margin && y < y1 + margin)) stray++;
    }
  }
  return stray / mask.data.length;
}

/**
 * Text lines read off the fixture images by eye (x0, y0, x1, y1). The apples ad: "특가 세일",
 * "2만 5천원", "(1월 29일까지)" at the top; "원산지: 대구", "신선한 과일을 엄선하여 준비했습니다",
 * "코드잇3팀청과물 2층 105호", "빠른 방문을 권장드립니다" in the bottom bar.
 */
const APPLES: readonly Box[] = [
  [420, 72, 606, 126],
  [360, 155, 662, 232],
  [450, 237, 575, 262],
  [122, 954, 214, 976],
  [122, 981, 360, 1000],
  [679, 954, 902, 976],
  [750, 983, 902, 1001],
];
/** The market scene: the price drawn in glittering dots across the street. */
const BANANA_PRICE: Box = [390, 445, 785, 568];

describe('text detector on real ads', () => {
  it('finds every line of the Korean copy in the apples ad and masks little else', async () => {
    const image = await decodeImage(fixture('ad-apples-korean-text.png'), 3);
    const result = await detector.detect({ image });
    await saveOverlay('apples', image, result);
    for (const box of APPLES) {
      const best = Math.max(...result.regions.map((r) => iou(box, r.box)));
      expect(best, `line at ${box.join(',')}`).toBeGreaterThan(0.6);
      expect(coverage(result.mask, box), `mask over ${box.join(',')}`).toBeGreaterThan(0.5);
    }
    expect(result.regions.length).toBeLessThanOrEqual(APPLES.length + 1);
    expect(strayShare(result.mask, APPLES, 12)).toBeLessThan(0.002);
  });

  it('finds the glittering price in the market scene', async () => {
    const image = await decodeImage(fixture('ad-market-banana-price.png'), 3);
    const result = await detector.detect({ image });
    await saveOverlay('banana', image, result);
    expect(Math.max(...result.regions.map((r) => iou(BANANA_PRICE, r.box)))).toBeGreaterThan(0.45);
    expect(coverage(result.mask, BANANA_PRICE)).toBeGreaterThan(0.6);
    expect(strayShare(result.mask, [BANANA_PRICE], 12)).toBeLessThan(0.02);
  });

  it('proposes (almost) nothing on a product photo without text', async () => {
    const image = await decodeImage(fixture('product-banana.png'), 3);
    const result = await detector.detect({ image });
    expect(strayShare(result.mask, [], 0)).toBeLessThan(0.002);
  });
});

describe('text detector on drawn copy (known text pixels)', () => {
  it.each(SCENES.map((s, i) => [s.name, i] as const))('%s: recall ≥ 0.95, precision ≥ 0.7', async (_name, i) => {
    const scene = await renderScene(SCENES[i]!);
    const result = await detector.detect({ image: scene.withText });
    await saveOverlay(`scene-${i}`, scene.withText, result);
    const score = scoreMask(result.mask.data, scene.textPixels, scene.clean.width, scene.clean.height);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.7);
  });
});

describe('text detector behaviour', () => {
  it('returns an empty mask and no regions for images without text', async () => {
    const flat = makeImage(700, 500, 3, (_x, _y, c) => [200, 190, 170][c]!);
    const gradient = makeImage(640, 480, 4, (x, y, c) => (c === 3 ? 255 : (x * (c + 1) + y) % 256));
    for (const image of [flat, gradient]) {
      const result = await detector.detect({ image });
      expect(result.regions).toEqual([]);
      expect(result.mask).toMatchObject({ width: image.width, height: image.height, channels: 1 });
      expect(result.mask.data.every((v) => v === 0)).toBe(true);
    }
  });

  it('gives a full-size mask that is the union of the per-region masks, regions in reading order', async () => {
    const scene = await renderScene(SCENES[0]!);
    const before = scene.withText.data.slice();
    const progress: number[] = [];
    const result = await detector.detect({ image: scene.withText, onProgress: (p) => progress.push(p) });
    expect(Buffer.compare(Buffer.from(scene.withText.data), Buffer.from(before))).toBe(0); // caller's pixels untouched
    expect(result.mask.data.length).toBe(scene.clean.width * scene.clean.height);
    const union = new Uint8Array(result.mask.data.length);
    for (const m of result.regionMasks) {
      for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) union[(m.y + y) * scene.clean.width + m.x + x] = 255;
    }
    expect(Buffer.compare(Buffer.from(union), Buffer.from(result.mask.data))).toBe(0);
    expect(result.regions.map((r) => r.id)).toEqual(result.regions.map((_, i) => i + 1));
    const tops = result.regions.map((r) => r.box.y);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    for (const r of result.regions) {
      expect(r.polygon).toHaveLength(4);
      expect(r.score).toBeGreaterThan(0.5);
      expect(r.lineHeight).toBeGreaterThan(8);
    }
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
  });

  it('cancels within 100 ms and stays usable', async () => {
    // 4000×3000: tiled, several network runs — seconds of work.
    const data = new Uint8Array(4000 * 3000 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 13)) & 255;
    const big: RawImage = { data, width: 4000, height: 3000, channels: 3 };
    // Best of three: on a machine shared with other busy processes one scheduling hiccup can exceed
    // 100 ms; a detector that waited for the network (hundreds of ms) would fail all three.
    const tooks: number[] = [];
    for (let attempt = 0; attempt < 3 && !tooks.some((t) => t < 100); attempt++) {
      const controller = new AbortController();
      let abortedAt = 0;
      const job = detector.detect({
        image: big,
        signal: controller.signal,
        onProgress: () => {
          if (abortedAt) return;
          abortedAt = performance.now();
          controller.abort();
        },
      });
      const err = await job.then(
        () => null,
        (e: unknown) => e,
      );
      tooks.push(performance.now() - abortedAt);
      expect(abortedAt).toBeGreaterThan(0);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('cancelled');
    }
    expect(Math.min(...tooks)).toBeLessThan(100);
    expect(Math.max(...tooks)).toBeLessThan(1000);

    const scene = await renderScene(SCENES[4]!);
    const again = await detector.detect({ image: scene.withText });
    expect(again.regions.length).toBeGreaterThan(0);
  });

  it('closes cleanly right after a cancel, while the network may still be running', async () => {
    // Terminating a worker in the middle of an ONNX Runtime run aborts the whole process; close() waits.
    const d = createTextDetector();
    const image = (await renderScene(SCENES[0]!)).withText;
    await d.detect({ image }); // warm: the next run's first progress comes after a network run
    const controller = new AbortController();
    const job = d.detect({ image: { ...image }, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    await d.close();
    await expect(d.detect({ image })).rejects.toMatchObject({ code: 'engine' });
  });

  it('rejects an already aborted request and malformed images', async () => {
    const image = makeImage(64, 64, 3, () => 128);
    await expect(detector.detect({ image, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(detector.detect({ image: { ...image, channels: 2 as unknown as 3 } })).rejects.toMatchObject({ code: 'bad-image' });
    await expect(detector.detect({ image: { ...image, width: 65 } })).rejects.toMatchObject({ code: 'bad-image' });
  });

  it('refuses work once closed', async () => {
    const d = createTextDetector();
    await d.close();
    await expect(d.detect({ image: makeImage(32, 32, 3, () => 0) })).rejects.toMatchObject({ code: 'engine' });
  });
});
