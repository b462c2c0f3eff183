import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { FILL, KNOWN } from '../../../../../main/engine/inpaint/fill-types.js';
import { inpaintPixels } from '../../../../../main/engine/inpaint/inpaint-pixels.js';
import { createPatchMatchMethod, patchMatchMethod } from '../../../../../main/engine/inpaint/patchmatch/patchmatch-method.js';
import { DEFAULT_PATCHMATCH_OPTIONS, patchMatchFill } from '../../../../../main/engine/inpaint/patchmatch/synthesize.js';
import { smoothMethod } from '../../../../../main/engine/inpaint/smooth.js';
import { teleaMethod } from '../../../../../main/engine/inpaint/telea.js';
import { changedOutsideMask, emptyMask, fillRect, makeImage, rng } from '../synthetic.js';

/** PSNR (dB) of the RGB values under the mask. */
function maskedPsnr(a: RawImage, b: RawImage, mask: RawImage): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i]! < 128) continue;
    for (let c = 0; c < 3; c++) {
      const d = a.data[i * a.channels + c]! - b.data[i * b.channels + c]!;
      se += d * d;
      n++;
    }
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

function fillDisc(mask: RawImage, cx: number, cy: number, r: number): RawImage {
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask.data[y * mask.width + x] = 255;
  }
  return mask;
}

function run(image: RawImage, mask: RawImage, method = patchMatchMethod): RawImage {
  const out = { ...image, data: image.data.slice() };
  inpaintPixels(out, mask, method);
  return out;
}

/** A periodic texture: 8-px checker with a fixed 16×16 noise tile on top (period 16 in x and y). */
function periodicTexture(width: number, height: number): RawImage {
  const rand = rng(1);
  const tile = Array.from({ length: 256 }, () => Math.floor(rand() * 50));
  return makeImage(width, height, 3, (x, y, c) => ((((x >> 3) + (y >> 3)) & 1 ? 180 : 50) + tile[(x & 15) + 16 * (y & 15)]! + c * 10));
}

describe('patchmatch inpainting', () => {
  it('leaves every byte outside the mask bit-identical, alpha included', () => {
    const rand = rng(5);
    const image = makeImage(150, 120, 4, () => Math.floor(rand() * 256)); // noise, random alpha
    const mask = emptyMask(150, 120);
    fillRect(mask, 20, 30, 90, 38);
    fillRect(mask, 0, 80, 40, 92); // touches the image border
    fillDisc(mask, 120, 60, 9);
    for (let i = 0; i < 200; i++) mask.data[Math.floor(rand() * mask.data.length)] = 255;
    for (let i = 0; i < 200; i++) mask.data[Math.floor(rand() * mask.data.length)] = 127; // below the threshold: keep
    const out = run(image, mask);
    expect(changedOutsideMask(image.data, out.data, mask, 4)).toEqual([]);
    let changed = 0;
    let masked = 0;
    for (let i = 0; i < mask.data.length; i++) {
      if (mask.data[i]! < 128) continue;
      masked++;
      if (out.data[i * 4] !== image.data[i * 4]) changed++;
    }
    expect(changed).toBeGreaterThan(masked * 0.5);
  });

  it('rebuilds a periodic texture under a blob far better than Telea or a smooth fill', () => {
    const clean = periodicTexture(176, 144);
    const mask = fillDisc(emptyMask(176, 144), 90, 70, 14);
    // The "text" under the mask: a flat colour that must leave no trace.
    const withText = { ...clean, data: clean.data.slice() };
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]! >= 128) withText.data.set([255, 0, 0], i * 3);

    const pm = maskedPsnr(run(withText, mask), clean, mask);
    const telea = maskedPsnr(run(withText, mask, teleaMethod), clean, mask);
    const smooth = maskedPsnr(run(withText, mask, smoothMethod), clean, mask);
    expect(telea).toBeLessThan(20);
    expect(pm).toBeGreaterThan(telea + 10);
    expect(pm).toBeGreaterThan(smooth + 10);
  });

  it('fills a hole in a flat area with exactly the flat colour', () => {
    const bg = [30, 140, 200, 255];
    const image = makeImage(100, 80, 4, (x, y, c) => (x >= 20 && x < 70 && y >= 25 && y < 50 ? [250, 250, 0, 255][c]! : bg[c]!));
    const mask = fillRect(emptyMask(100, 80), 20, 25, 70, 50);
    const out = run(image, mask);
    for (let i = 0; i < mask.data.length; i++) {
      if (mask.data[i]! < 128) continue;
      expect([...out.data.subarray(i * 4, i * 4 + 4)]).toEqual(bg);
    }
  });

  it.each([
    // [name, shading, largest offset allowed (grey levels)]; the bowl's curvature differs everywhere, so
    // copied patches bring a slightly wrong slope too and only the relative drop is asserted there.
    ['a textured parabolic ramp', (x: number, y: number, c: number) => 30 + 0.05 * (x - 100) ** 2 + (x % 4 < 2 ? 12 : -12) + c * 5 + y * 0.1, 1],
    ['a textured bowl', (x: number, y: number, c: number) => 30 + 0.04 * ((x - 100) ** 2 + 2 * (y - 50) ** 2) + (x % 4 < 2 ? 12 : -12) + c * 5, Infinity],
  ])('matches the border colour: no step at the mask edge on %s', (_name, shape, maxOffset) => {
    // The hole sits in the dark middle of the shading: every source patch is brighter than what belongs
    // there, so copied patches arrive too bright and only border colour matching removes the step.
    const W = 200;
    const H = 120;
    const image = makeImage(W, H, 3, (x, y, c) => Math.max(0, Math.min(255, Math.round(shape(x, y, c)))));
    const truth = (x: number, y: number, c: number) => image.data[(y * W + x) * 3 + c]!;
    const mask = fillRect(emptyMask(W, H), 80, 40, 120, 60);
    // The colour offset at the seam: the mean (signed) step from each known pixel to its neighbour in the
    // fill, beyond the step the original has there. A fill that is too bright or too dark shows up here;
    // texture that differs pixel by pixel averages out.
    const seamOffset = (out: RawImage) => {
      let sum = 0;
      let n = 0;
      for (let y = 40; y < 60; y++) {
        for (let x = 80; x < 120; x++) {
          for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
            const nx = x + dx;
            const ny = y + dy;
            if (mask.data[ny * W + nx]! >= 128) continue;
            for (let c = 0; c < 3; c++) {
              const step = out.data[(y * W + x) * 3 + c]! - out.data[(ny * W + nx) * 3 + c]!;
              sum += step - (truth(x, y, c) - truth(nx, ny, c));
              n++;
            }
          }
        }
      }
      return Math.abs(sum / n);
    };
    const matched = seamOffset(run(image, mask));
    const unmatched = seamOffset(run(image, mask, createPatchMatchMethod({ borderMatch: false })));
    expect(unmatched).toBeGreaterThan(1);
    expect(matched).toBeLessThan(unmatched * 0.5);
    expect(matched).toBeLessThan(maxOffset);
  });

  it('stops within 100 ms once the cancel flag is set, with monotonic progress until then', () => {
    const rand = rng(9);
    const image = makeImage(900, 700, 3, (x, y, c) => (x * 3 + y * (c + 1) + Math.floor(rand() * 40)) & 255);
    const mask = emptyMask(900, 700);
    for (let row = 0; row < 8; row++) fillRect(mask, 30, 40 + row * 80, 870, 70 + row * 80);
    let flagAt = Infinity;
    const progress: number[] = [];
    let error: unknown;
    try {
      inpaintPixels(image, mask, patchMatchMethod, {
        isCancelled: () => performance.now() >= flagAt,
        onProgress: (p) => {
          progress.push(p);
          // Cancel mid-run, a little into the job (the flag is what a worker's abort sets).
          if (p > 0.05 && flagAt === Infinity) flagAt = performance.now();
        },
      });
    } catch (e) {
      error = e;
    }
    const stoppedAt = performance.now();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(stoppedAt - flagAt).toBeLessThan(100);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    expect(progress.at(-1)!).toBeLessThan(0.5);
  });

  it('reports its own progress within a region in order, from 0 to 1', () => {
    const rand = rng(4);
    const W = 160;
    const H = 120;
    const pixels = Float32Array.from({ length: W * H * 3 }, () => Math.floor(rand() * 256));
    const state = new Uint8Array(W * H).fill(KNOWN);
    let fillCount = 0;
    for (let y = 40; y < 80; y++) {
      for (let x = 30; x < 130; x++) {
        state[y * W + x] = FILL;
        fillCount++;
      }
    }
    const fractions: number[] = [];
    patchMatchFill({ width: W, height: H, channels: 3, pixels, state, fillCount }, { checkpoint: (f) => fractions.push(f) }, DEFAULT_PATCHMATCH_OPTIONS);
    expect(fractions.length).toBeGreaterThan(10);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
  });

  it('is deterministic for a seed, and the seed is what varies the result', () => {
    const rand = rng(3);
    const image = makeImage(120, 100, 3, () => Math.floor(rand() * 256)); // noise: many equally good patches
    const mask = fillDisc(emptyMask(120, 100), 60, 50, 12);
    const a = run(image, mask);
    const b = run(image, mask);
    const c = run(image, mask, createPatchMatchMethod({ seed: 12345 }));
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(c.data))).not.toBe(0);
  });
});
