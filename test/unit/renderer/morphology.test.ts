import { describe, expect, it } from 'vitest';
import { boundingBox, boxSizesForGauss, clear, feather, grow, invert, isEmpty, shrink } from '../../../renderer/src/mask/morphology';
import { changedIndices, rng } from './mask-fixtures';

/** Brute force: is any pixel matching `pred` within radius of (x, y)? */
function near(m: Uint8Array, w: number, h: number, x: number, y: number, r: number, pred: (v: number) => boolean): boolean {
  const R = Math.ceil(r);
  for (let dy = -R; dy <= R; dy++)
    for (let dx = -R; dx <= R; dx++) {
      const qx = x + dx;
      const qy = y + dy;
      if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
      if (dx * dx + dy * dy <= r * r && pred(m[qy * w + qx]!)) return true;
    }
  return false;
}

function bruteGrow(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = m.slice();
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (near(m, w, h, x, y, r, (v) => v >= 128)) out[y * w + x] = 255;
  return out;
}

function bruteShrink(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = m.slice();
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (near(m, w, h, x, y, r, (v) => v < 128)) out[y * w + x] = 0;
  return out;
}

function randomMask(w: number, h: number, density: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const m = new Uint8Array(w * h);
  for (let i = 0; i < m.length; i++) {
    const u = rand();
    m[i] = u < density ? 255 : u < density * 1.3 ? Math.floor(rand() * 256) : 0; // some soft values too
  }
  return m;
}

describe('grow / shrink', () => {
  it('match a brute-force Euclidean reference on random masks', () => {
    let seed = 1;
    for (const [w, h] of [
      [37, 23],
      [64, 48],
      [1, 30],
      [30, 1],
    ] as const) {
      for (const density of [0.005, 0.05, 0.4, 0.9]) {
        const m = randomMask(w, h, density, seed++);
        const before = m.slice();
        for (const r of [0.5, 1, 1.5, 2, 3.7, 6, 11]) {
          expect(changedIndices(grow(m, w, h, r), bruteGrow(m, w, h, r))).toEqual([]);
          expect(changedIndices(shrink(m, w, h, r), bruteShrink(m, w, h, r))).toEqual([]);
        }
        expect(changedIndices(m, before)).toEqual([]); // inputs are never modified
      }
    }
  });

  it('grows a single pixel into a disc of the right area', () => {
    const w = 101;
    const m = new Uint8Array(w * w);
    m[50 * w + 50] = 255;
    const g = grow(m, w, w, 20);
    const area = g.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(Math.abs(area - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.02);
    expect(g[50 * w + 70]).toBe(255);
    expect(g[50 * w + 71]).toBe(0);
    expect(g[64 * w + 64]).toBe(255); // 14² + 14² = 392 ≤ 400
    expect(g[65 * w + 65]).toBe(0); // 450 > 400
  });

  it('radius 0, empty and full masks are handled', () => {
    const m = randomMask(20, 20, 0.2, 9);
    expect(grow(m, 20, 20, 0)).toEqual(m);
    expect(shrink(m, 20, 20, 0)).toEqual(m);
    expect(isEmpty(grow(new Uint8Array(400), 20, 20, 5))).toBe(true);
    const full = new Uint8Array(400).fill(255);
    expect(shrink(full, 20, 20, 5)).toEqual(full); // the image border does not eat into the mask
    expect(() => grow(m, 21, 20, 1)).toThrow(/expected 21×20/);
  });
});

describe('feather', () => {
  it('softens an edge monotonically over about ±radius and leaves far pixels alone', () => {
    const w = 200;
    const h = 200;
    const m = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - 100) ** 2 + (y - 100) ** 2 <= 50 ** 2) m[y * w + x] = 255;
    const f = feather(m, w, h, 8);
    const row = Array.from({ length: 100 }, (_, i) => f[100 * w + 100 + i]!);
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeLessThanOrEqual(row[i - 1]!);
    expect(row[30]).toBe(255); // 20 px inside the edge
    expect(row[70]).toBe(0); // 20 px outside
    expect(row[50]).toBeGreaterThan(90); // at the edge: about half
    expect(row[50]).toBeLessThan(165);
    expect(row[42]).toBeGreaterThan(230); // -8 px: almost solid
    expect(row[58]).toBeLessThan(25); // +8 px: almost clear
    // Mass is (nearly) preserved: feathering moves coverage, it does not add or remove it.
    const sum = (a: Uint8Array) => a.reduce((n, v) => n + v, 0);
    expect(Math.abs(sum(f) - sum(m)) / sum(m)).toBeLessThan(0.01);
    expect(f).not.toBe(m);
  });

  it('equals a naive full-image blur (the region-of-interest shortcut changes nothing)', () => {
    const naive = (m: Uint8Array, w: number, h: number, radius: number) => {
      let a = m.slice();
      const pass = (horizontal: boolean, k: number) => {
        const b = new Uint8Array(a.length);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            let sum = 0;
            for (let d = -k; d <= k; d++) {
              const xx = horizontal ? Math.min(w - 1, Math.max(0, x + d)) : x;
              const yy = horizontal ? y : Math.min(h - 1, Math.max(0, y + d));
              sum += a[yy * w + xx]!;
            }
            b[y * w + x] = (sum * (1 / (2 * k + 1)) + 0.5) | 0;
          }
        a = b;
      };
      const sizes = boxSizesForGauss(radius / 2, 3);
      for (const s of sizes) pass(true, (s - 1) / 2);
      for (const s of sizes) pass(false, (s - 1) / 2);
      return a;
    };
    const rand = rng(3);
    for (const [w, h] of [
      [60, 40],
      [9, 50],
      [50, 7],
    ] as const) {
      for (const radius of [1, 3, 8]) {
        // A blob away from the edges (roi inside the image) and one touching the border.
        for (const [bx, by] of [
          [Math.floor(w / 3), Math.floor(h / 3)],
          [0, h - 3],
        ] as const) {
          const m = new Uint8Array(w * h);
          for (let y = by; y < Math.min(h, by + 6); y++) for (let x = bx; x < Math.min(w, bx + 5); x++) m[y * w + x] = rand() < 0.8 ? 255 : Math.floor(rand() * 256);
          expect(changedIndices(feather(m, w, h, radius), naive(m, w, h, radius))).toEqual([]);
        }
      }
    }
  });

  it('box sizes approximate the requested sigma', () => {
    for (const sigma of [1, 2.5, 4, 10]) {
      const sizes = boxSizesForGauss(sigma, 3);
      for (const s of sizes) expect(s % 2).toBe(1);
      const variance = sizes.reduce((v, s) => v + (s * s - 1) / 12, 0);
      expect(Math.abs(Math.sqrt(variance) - sigma)).toBeLessThan(0.6);
    }
  });
});

describe('invert, clear, isEmpty, boundingBox', () => {
  it('invert flips values, clear empties, isEmpty checks every byte (also unaligned views)', () => {
    const m = new Uint8Array([0, 10, 255, 128]);
    expect(invert(m)).toEqual(new Uint8Array([255, 245, 0, 127]));
    expect(isEmpty(clear(m))).toBe(true);
    const big = new Uint8Array(1003);
    expect(isEmpty(big)).toBe(true);
    for (const i of [0, 1, 2, 3, 500, 1000, 1001, 1002]) {
      big[i] = 1;
      expect(isEmpty(big)).toBe(false);
      expect(isEmpty(big.subarray(1, 1003))).toBe(i === 0);
      big[i] = 0;
    }
  });

  it('boundingBox finds the extent of non-zero pixels', () => {
    const w = 50;
    const h = 40;
    const m = new Uint8Array(w * h);
    expect(boundingBox(m, w, h)).toBeNull();
    m[5 * w + 30] = 1;
    m[20 * w + 7] = 200;
    m[33 * w + 12] = 255;
    expect(boundingBox(m, w, h)).toEqual({ x: 7, y: 5, width: 24, height: 29 });
  });
});
