import { describe, expect, it } from 'vitest';
import { findMaskRegions } from '../../../../../main/engine/inpaint/mask-regions.js';
import { DEFAULT_HD, planLamaWindows, type LamaPlan } from '../../../../../main/engine/lama/index.js';
import { resizeArea, symmetricIndex } from '../../../../../main/engine/lama/resample.js';
import { emptyMask, fillRect } from '../synthetic.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';

const S = 512;

function plan(mask: RawImage, hd = DEFAULT_HD): LamaPlan {
  return planLamaWindows(findMaskRegions(mask.data, mask.width, mask.height), mask.width, mask.height, S, hd);
}

/** For every masked pixel: how many windows write it, and whether the one that does contains it. */
function ownership(mask: RawImage, p: LamaPlan): { owners: Int32Array; outside: number } {
  const found = findMaskRegions(mask.data, mask.width, mask.height);
  const owners = new Int32Array(mask.data.length);
  let outside = 0;
  for (const w of p.windows) {
    const labels = new Set(w.labels);
    for (let y = w.core.y0; y < w.core.y1; y++) {
      for (let x = w.core.x0; x < w.core.x1; x++) {
        const i = y * mask.width + x;
        if (mask.data[i]! < 128) continue;
        if (!labels.has(found.cellLabels[(y >> 4) * found.cellsX + (x >> 4)]!)) continue;
        owners[i]!++;
        if (x < w.x || x >= w.x + w.w || y < w.y || y >= w.y + w.h) outside++;
      }
    }
  }
  return { owners, outside };
}

function expectEachMaskedPixelOwnedOnce(mask: RawImage, p: LamaPlan): void {
  const { owners, outside } = ownership(mask, p);
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]! >= 128 && owners[i] !== 1) throw new Error(`pixel ${i} owned ${owners[i]} times`);
  expect(outside).toBe(0);
}

describe('planLamaWindows', () => {
  it('takes a small image whole', () => {
    const mask = fillRect(emptyMask(400, 300), 50, 60, 120, 90);
    const p = plan(mask);
    expect(p.strategy).toBe('whole');
    expect(p.windows).toHaveLength(1);
    expect(p.windows[0]).toMatchObject({ x: 0, y: 0, w: 400, h: 300 });
  });

  it('crops one native-resolution window around a small region of a large image', () => {
    const mask = fillRect(emptyMask(3000, 2000), 1400, 900, 1480, 960);
    const p = plan(mask);
    expect(p.strategy).toBe('crop');
    expect(p.windows).toHaveLength(1);
    const w = p.windows[0]!;
    expect([w.w, w.h]).toEqual([S, S]); // 80×60 + 2·128 margin fits the input: no scaling
    // Centred on the region, with at least the margin of context on every side.
    expect(w.x).toBeLessThanOrEqual(1400 - 128);
    expect(w.x + w.w).toBeGreaterThanOrEqual(1480 + 128);
    expect(w.y).toBeLessThanOrEqual(900 - 128);
    expect(w.y + w.h).toBeGreaterThanOrEqual(960 + 128);
    expectEachMaskedPixelOwnedOnce(mask, p);
  });

  it('covers a long line of text with several full-resolution windows instead of squeezing it', () => {
    const mask = fillRect(emptyMask(4000, 1500), 200, 700, 3800, 760); // 3600×60
    const p = plan(mask);
    expect(p.strategy).toBe('crop');
    expect(p.windows.length).toBeGreaterThanOrEqual(Math.ceil(3600 / (S - 128)));
    for (const w of p.windows) expect([w.w, w.h]).toEqual([S, S]);
    expectEachMaskedPixelOwnedOnce(mask, p);
  });

  it('shrinks the window only when the region itself is larger than the input', () => {
    const mask = fillRect(emptyMask(3000, 2000), 1000, 500, 1700, 1200); // 700×700
    const p = plan(mask);
    expect(p.windows).toHaveLength(1);
    expect(p.windows[0]!.w).toBe(700 + 2 * 128);
    expect(p.windows[0]!.h).toBe(700 + 2 * 128);
    expectEachMaskedPixelOwnedOnce(mask, p);
  });

  it('shares a window between regions close together, not between regions far apart', () => {
    const mask = emptyMask(3000, 2000);
    fillRect(mask, 1000, 1000, 1060, 1030);
    fillRect(mask, 1150, 1000, 1210, 1030); // 90 px to the right: one window holds both
    fillRect(mask, 2500, 200, 2560, 230); // far away
    const p = plan(mask);
    expect(p.windows).toHaveLength(2);
    expect(p.windows.map((w) => w.labels.length).sort()).toEqual([1, 2]);
    expectEachMaskedPixelOwnedOnce(mask, p);
  });

  it('keeps windows inside the image at its borders, and honours the trigger size', () => {
    const mask = fillRect(emptyMask(1200, 600), 0, 0, 40, 600); // a full-height stripe at the left edge
    const p = plan(mask);
    for (const w of p.windows) {
      expect(w.x).toBeGreaterThanOrEqual(0);
      expect(w.y).toBeGreaterThanOrEqual(0);
      expect(w.x + w.w).toBeLessThanOrEqual(1200);
      expect(w.y + w.h).toBeLessThanOrEqual(600);
    }
    expectEachMaskedPixelOwnedOnce(mask, p);
    expect(plan(mask, { cropTriggerSize: 1200, cropMargin: 128 }).strategy).toBe('whole');
  });
});

describe('resampling', () => {
  it('area averaging keeps flat areas flat and the mean unchanged', () => {
    const w = 1000;
    const h = 700;
    const src = new Float32Array(w * h);
    for (let i = 0; i < src.length; i++) src[i] = (i % 7) / 7;
    const out = resizeArea(src, w, h, 512, 358);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 2);
    const flat = resizeArea(new Float32Array(w * h).fill(0.25), w, h, 512, 358);
    expect(flat.reduce((m, v) => Math.max(m, Math.abs(v - 0.25)), 0)).toBeLessThan(1e-5);
  });

  it('pads symmetrically, repeating the edge pixel', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => symmetricIndex(i, 4))).toEqual([2, 1, 0, 0, 1, 2, 3, 3, 2, 1]);
    expect(symmetricIndex(9, 1)).toBe(0);
  });
});

describe('lamaModelInfo', () => {
  it('declares the registry footprint to the scheduler on the device it runs on', async () => {
    const { lamaModelInfo } = await import('../../../../../main/engine/lama/index.js');
    const { LAMA_MODEL } = await import('../../../../../main/core/models/model-registry.js');
    expect(lamaModelInfo(LAMA_MODEL, { device: 'gpu', resident: false })).toMatchObject({ id: 'lama', stage: 'inpaint', device: 'gpu', footprintMb: 1600, resident: false, observedPeakMb: null });
    expect(lamaModelInfo(LAMA_MODEL, { device: 'cpu', resident: true })).toMatchObject({ device: 'cpu', footprintMb: 1400, resident: true });
  });
});
