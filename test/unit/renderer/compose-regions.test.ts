import { describe, expect, it } from 'vitest';
import { composeCrops, type MaskCrop } from '../../../renderer/src/mask/compose-regions';
import { createMaskWorkerClient } from '../../../renderer/src/mask/mask-worker-client';
import { changedIndices, firstDifference, rng } from './mask-fixtures';

const W = 120;
const H = 80;

/** A crop with a glyph-like random pattern (about half its pixels set). */
function crop(x: number, y: number, width: number, height: number, seed: number): MaskCrop {
  const rand = rng(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rand() < 0.5 ? 255 : 0;
  return { x, y, width, height, data };
}

/** The obvious per-pixel definition, to check the fast one against. */
function reference(base: Uint8Array | null, crops: MaskCrop[]): Uint8Array {
  const out = base ? base.slice() : new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (const c of crops) {
        if (x < c.x || y < c.y || x >= c.x + c.width || y >= c.y + c.height) continue;
        out[y * W + x] = Math.max(out[y * W + x]!, c.data[(y - c.y) * c.width + (x - c.x)]!);
      }
    }
  }
  return out;
}

/** Two text lines whose dilated masks overlap, and a third on its own. */
const LINE_A = crop(10, 10, 60, 20, 1);
const LINE_B = crop(40, 22, 50, 20, 2);
const LINE_C = crop(15, 55, 30, 12, 3);
const inside = (c: MaskCrop, i: number) => {
  const x = i % W;
  const y = Math.floor(i / W);
  return x >= c.x && y >= c.y && x < c.x + c.width && y < c.y + c.height;
};

describe('composeCrops (proposed text mask from the enabled regions)', () => {
  it('is the per-pixel maximum of every crop, placed where it belongs', () => {
    const all = composeCrops(null, W, H, [LINE_A, LINE_B, LINE_C]);
    expect(all.length).toBe(W * H);
    expect(firstDifference(all, reference(null, [LINE_A, LINE_B, LINE_C]))).toBe(-1);
    expect(all.some((v) => v === 255)).toBe(true);
  });

  it('turning one line off changes only its own pixels, and keeps those its overlapping neighbour also masks', () => {
    const all = composeCrops(null, W, H, [LINE_A, LINE_B, LINE_C]);
    const withoutB = composeCrops(null, W, H, [LINE_A, LINE_C]);
    const changed = changedIndices(all, withoutB);
    expect(changed.length).toBeGreaterThan(100);
    for (const i of changed) {
      expect(inside(LINE_B, i)).toBe(true);
      // Only B had it: A (overlapping) did not mask this pixel.
      expect(withoutB[i]).toBe(0);
    }
    // In the overlap, A's own pixels survive: zeroing B's box would have cut holes into line A.
    let keptInOverlap = 0;
    for (let i = 0; i < all.length; i++) {
      if (inside(LINE_A, i) && inside(LINE_B, i) && LINE_A.data[(Math.floor(i / W) - LINE_A.y) * LINE_A.width + ((i % W) - LINE_A.x)] === 255) {
        expect(withoutB[i]).toBe(255);
        keptInOverlap++;
      }
    }
    expect(keptInOverlap).toBeGreaterThan(50);
    // Toggling it back on restores exactly the same mask.
    expect(firstDifference(composeCrops(null, W, H, [LINE_A, LINE_C, LINE_B]), all)).toBe(-1);
  });

  it('merges into a base mask without touching the base, never lowering a value', () => {
    const base = new Uint8Array(W * H);
    base.fill(128, 0, W * 15); // a soft (feathered) band over the first rows
    base.fill(255, W * 70, W * 72);
    const before = base.slice();
    const out = composeCrops(base, W, H, [LINE_A, LINE_C]);
    expect(firstDifference(base, before)).toBe(-1);
    expect(firstDifference(out, reference(base, [LINE_A, LINE_C]))).toBe(-1);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(base[i]!);
  });

  it('clips crops that stick out of the image on any side', () => {
    const crops = [crop(-5, -3, 20, 10, 4), crop(W - 8, H - 6, 20, 10, 5), crop(W + 10, 0, 5, 5, 6)];
    expect(firstDifference(composeCrops(null, W, H, crops), reference(null, crops))).toBe(-1);
  });

  it('nothing enabled is an empty mask; bad crops are refused with a reason', () => {
    expect(composeCrops(null, W, H, []).every((v) => v === 0)).toBe(true);
    expect(() => composeCrops(null, W, H, [{ x: 0, y: 0, width: 4, height: 4, data: new Uint8Array(15) }])).toThrow(/needs 16 bytes/);
    expect(() => composeCrops(null, W, H, [{ x: 0.5, y: 0, width: 1, height: 1, data: new Uint8Array(1) }])).toThrow(/whole-pixel/);
    expect(() => composeCrops(new Uint8Array(10), W, H, [])).toThrow(/expected/);
  });

  it('the mask worker client composes the same, leaving the caller’s base and crops intact', async () => {
    const client = createMaskWorkerClient({ createWorker: () => null });
    const base = new Uint8Array(W * H).fill(7, 0, 50);
    const keep = LINE_B.data.slice();
    const out = await client.compose(base, W, H, [LINE_A, LINE_B]);
    expect(firstDifference(out, reference(base, [LINE_A, LINE_B]))).toBe(-1);
    expect(firstDifference(LINE_B.data, keep)).toBe(-1);
    expect(base[0]).toBe(7);
    expect(firstDifference(await client.compose(null, W, H, [LINE_C]), reference(null, [LINE_C]))).toBe(-1);
  });
});
