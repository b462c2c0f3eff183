import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../preload/contract/index.js';
import { inpaintPixels, marginFor, partitionRegions } from '../../../../main/engine/inpaint/inpaint-pixels.js';
import { FILL_METHODS, getFillMethod } from '../../../../main/engine/inpaint/methods.js';
import { changedOutsideMask, emptyMask, fillRect, makeImage, maskedError, rng } from './synthetic.js';

// Contract every registered method must keep (the driver guarantees the outside; the rest is the method's).
describe.each(FILL_METHODS.map((m) => [m.id, m] as const))('inpaint method %s', (_id, method) => {
  it('leaves every pixel outside the mask bit-identical (all channels, alpha included) and fills inside', () => {
    const rand = rng(7);
    const image = makeImage(180, 140, 4, () => Math.floor(rand() * 256)); // noise, random alpha too
    const mask = emptyMask(180, 140);
    // Strokes of various shapes, some touching the image border, plus soft values below the threshold.
    fillRect(mask, 10, 10, 60, 16);
    fillRect(mask, 0, 50, 12, 90);
    fillRect(mask, 100, 0, 106, 140);
    fillRect(mask, 150, 120, 180, 140);
    for (let i = 0; i < 400; i++) mask.data[Math.floor(rand() * mask.data.length)] = 255; // single-pixel specks
    for (let i = 0; i < 400; i++) mask.data[Math.floor(rand() * mask.data.length)] = 127; // just below: keep
    fillRect(mask, 30, 100, 40, 110, 1);
    const before = image.data.slice();

    const stats = inpaintPixels(image, mask, method);

    expect(changedOutsideMask(before, image.data, mask, 4)).toEqual([]);
    expect(stats.filledPixels).toBe(mask.data.filter((v) => v >= 128).length);
    let changedInside = 0;
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]! >= 128 && before[i * 4] !== image.data[i * 4]) changedInside++;
    expect(changedInside).toBeGreaterThan(stats.filledPixels * 0.5);
  });

  it('fills a box inside a flat colour with exactly that colour, with no trace of the text it covered', () => {
    const bg = [200, 40, 90, 255];
    // "Text" pixels (another colour) exactly where the mask is: none of it may leak into the fill.
    const image = makeImage(120, 100, 4, (x, y, c) => (x >= 30 && x < 80 && y >= 40 && y < 65 ? [10, 250, 10, 255][c]! : bg[c]!));
    const mask = fillRect(emptyMask(120, 100), 30, 40, 80, 65);
    inpaintPixels(image, mask, method);
    expect(maskedError(image, mask, (_x, _y, c) => bg[c]!)).toBe(0);
  });

  it('returns the image untouched for an empty mask', () => {
    const rand = rng(3);
    const image = makeImage(64, 48, 3, () => Math.floor(rand() * 256));
    const before = image.data.slice();
    const progress: number[] = [];
    const stats = inpaintPixels(image, emptyMask(64, 48), method, { onProgress: (p) => progress.push(p) });
    expect(Buffer.compare(Buffer.from(before), Buffer.from(image.data))).toBe(0);
    expect(stats).toEqual({ regions: 0, filledPixels: 0 });
    expect(progress.at(-1)).toBe(1);
  });

  it('leaves a fully masked image as it was (nothing to fill from) instead of failing', () => {
    const image = makeImage(40, 30, 3, (x, y) => (x * 5 + y) & 255);
    const before = image.data.slice();
    const mask = fillRect(emptyMask(40, 30), 0, 0, 40, 30);
    inpaintPixels(image, mask, method);
    expect(Buffer.compare(Buffer.from(before), Buffer.from(image.data))).toBe(0);
  });

  it('reports monotonic progress ending at 1, and stops mid-run when cancelled', () => {
    const rand = rng(11);
    const image = makeImage(400, 300, 3, (x, y, c) => (x + y * c + Math.floor(rand() * 8)) & 255);
    const mask = emptyMask(400, 300);
    for (let row = 0; row < 6; row++) fillRect(mask, 20, 20 + row * 45, 380, 40 + row * 45);
    const progress: number[] = [];
    inpaintPixels({ ...image, data: image.data.slice() }, mask, method, { onProgress: (p) => progress.push(p) });
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);

    let cancelled = false;
    const seen: number[] = [];
    const run = () =>
      inpaintPixels(image, mask, method, {
        isCancelled: () => cancelled,
        onProgress: (p) => {
          seen.push(p);
          if (p > 0.2) cancelled = true;
        },
      });
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(Math.max(...seen)).toBeLessThan(1); // stopped before the end
  });
});

// Smooth surfaces are what the interpolating methods are for (patch-based ones copy texture instead).
describe.each(['telea', 'smooth'])('inpaint method %s on smooth images', (id) => {
  const method = getFillMethod(id);
  it('fills a masked stripe over a smooth gradient close to the gradient', () => {
    const grad = (x: number, y: number, c: number) => (c === 0 ? x : c === 1 ? 255 - x : 60 + Math.round(y / 2));
    const image = makeImage(256, 160, 3, grad);
    const mask = fillRect(emptyMask(256, 160), 110, 0, 122, 160); // 12 px wide, full height
    inpaintPixels(image, mask, method);
    expect(maskedError(image, mask, grad)).toBeLessThan(2);
  });


  it('continues a diagonal gradient across a box', () => {
    const grad = (x: number, y: number, c: number) => Math.round((x + y) / 2 + c * 20);
    const image = makeImage(200, 140, 3, grad);
    const mask = fillRect(emptyMask(200, 140), 80, 50, 110, 80);
    inpaintPixels(image, mask, method);
    expect(maskedError(image, mask, grad)).toBeLessThan(3);
  });
});

describe('regions, margins and parts', () => {
  const region = (x0: number, y0: number, x1: number, y1: number, label = 0) => ({ label, x0, y0, x1, y1, count: (x1 - x0) * (y1 - y0) });

  it('keeps more context around a thick region than a thin one, within the method’s cap', () => {
    const pm = getFillMethod('patchmatch');
    const thin = marginFor(region(0, 0, 400, 12), pm);
    const thick = marginFor(region(0, 0, 400, 90), pm);
    const huge = marginFor(region(0, 0, 2000, 2000), pm);
    expect(thin).toBe(pm.margin);
    expect(thick).toBeGreaterThan(thin);
    expect(huge).toBe(pm.maxMargin);
  });

  it('splits regions into parts of similar cost, the same way every time', () => {
    const regions = Array.from({ length: 9 }, (_, i) => region(i * 50, 0, i * 50 + 10 + i * 4, 20, i));
    const cost = (r: { x0: number; x1: number }) => r.x1 - r.x0;
    const a = partitionRegions(regions, 2, cost);
    expect([...partitionRegions(regions, 2, cost)]).toEqual([...a]);
    const loads = [0, 0];
    regions.forEach((r, i) => (loads[a[i]!]! += cost(r)));
    expect(Math.abs(loads[0]! - loads[1]!)).toBeLessThanOrEqual(Math.max(...regions.map(cost)));
  });

  it('fills every region exactly once across parts, with the pixels of one pass', () => {
    const rand = rng(31);
    const width = 220;
    const height = 160;
    const image = makeImage(width, height, 3, () => Math.floor(rand() * 256));
    const mask = emptyMask(width, height);
    for (let i = 0; i < 6; i++) fillRect(mask, 10 + i * 34, 20 + (i % 3) * 40, 30 + i * 34, 34 + (i % 3) * 40);
    const whole = { ...image, data: image.data.slice() };
    const method = getFillMethod('patchmatch');
    inpaintPixels(whole, mask, method);
    const shared = { ...image, data: image.data.slice() };
    const shares: number[] = [];
    for (let index = 0; index < 3; index++) {
      let last = 0;
      inpaintPixels(shared, mask, method, { part: { index, count: 3 }, onProgress: (p) => (last = p) });
      shares.push(last);
    }
    expect(Buffer.compare(Buffer.from(shared.data), Buffer.from(whole.data))).toBe(0);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});
