import { describe, expect, it } from 'vitest';
import { fillPolygon, fillRect, rectFromCorners } from '../../../renderer/src/mask/shapes';
import { changedIndices, rng } from './mask-fixtures';

/** Even-odd point-in-polygon at a point (the reference). */
function inside(points: number[], x: number, y: number): boolean {
  let c = false;
  const n = points.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = points[2 * i]!;
    const yi = points[2 * i + 1]!;
    const xj = points[2 * j]!;
    const yj = points[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

function reference(points: number[], w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(points, x + 0.5, y + 0.5)) m[y * w + x] = 255;
  return m;
}

describe('fillRect', () => {
  it('fills pixels whose centres are inside, in any corner order', () => {
    const m = new Uint8Array(10 * 8);
    const r = fillRect(m, 10, 8, rectFromCorners(7.2, 5.6, 2.2, 1.4), 'paint');
    expect(r).toEqual({ x: 2, y: 1, width: 5, height: 5 });
    expect(m.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(25);
    expect(m[1 * 10 + 2]).toBe(255);
    expect(m[1 * 10 + 7]).toBe(0);
  });

  it('erases, takes explicit values and clips to the mask', () => {
    const m = new Uint8Array(10 * 8).fill(255);
    expect(fillRect(m, 10, 8, { x: -5, y: -5, width: 8, height: 7 }, 'erase')).toEqual({ x: 0, y: 0, width: 3, height: 2 });
    expect(m[0]).toBe(0);
    expect(m[3]).toBe(255);
    fillRect(m, 10, 8, { x: 5, y: 5, width: -2, height: 2 }, 0);
    expect(m[5 * 10 + 3]).toBe(0);
    expect(fillRect(m, 10, 8, { x: 20, y: 0, width: 5, height: 5 }, 'paint')).toBeNull();
  });
});

describe('fillPolygon', () => {
  it('fills a concave lasso (a U shape) exactly, leaving the notch empty', () => {
    const u = [10, 10, 20, 10, 20, 40, 40, 40, 40, 10, 50, 10, 50, 50, 10, 50];
    const m = new Uint8Array(60 * 60);
    const rect = fillPolygon(m, 60, 60, u, 'paint');
    expect(changedIndices(m, reference(u, 60, 60))).toEqual([]);
    expect(m[25 * 60 + 30]).toBe(0); // inside the notch
    expect(m[45 * 60 + 30]).toBe(255); // the bottom of the U
    expect(rect).toEqual({ x: 10, y: 10, width: 40, height: 40 });
  });

  it('matches the even-odd reference on random star-shaped lassos and a self-crossing one', () => {
    const rand = rng(7);
    for (let k = 0; k < 20; k++) {
      const pts: number[] = [];
      const n = 5 + Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const a = (i / n) * Math.PI * 2;
        const r = 5 + rand() * 35;
        pts.push(40 + Math.cos(a) * r + rand() * 0.01, 35 + Math.sin(a) * r);
      }
      const m = new Uint8Array(80 * 70);
      fillPolygon(m, 80, 70, pts, 'paint');
      expect(changedIndices(m, reference(pts, 80, 70))).toEqual([]);
    }
    // A pentagram: with even-odd the centre pentagon stays empty.
    const star: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = -Math.PI / 2 + ((i * 2) % 5) * ((2 * Math.PI) / 5);
      star.push(50.3 + Math.cos(a) * 40, 50.3 + Math.sin(a) * 40);
    }
    const m = new Uint8Array(100 * 100);
    fillPolygon(m, 100, 100, star, 'paint');
    expect(changedIndices(m, reference(star, 100, 100))).toEqual([]);
    expect(m[50 * 100 + 50]).toBe(0);
    expect(m[20 * 100 + 50]).toBe(255);
  });

  it('erases with a lasso and ignores degenerate input', () => {
    const m = new Uint8Array(30 * 30).fill(255);
    fillPolygon(m, 30, 30, [5, 5, 25, 5, 15, 25], 'erase');
    expect(m[10 * 30 + 15]).toBe(0);
    expect(m[28 * 30 + 2]).toBe(255);
    expect(fillPolygon(m, 30, 30, [1, 1, 5, 5], 'paint')).toBeNull();
    expect(() => fillPolygon(m, 30, 30, [1, 1, 5, NaN, 3, 3], 'paint')).toThrow(/finite/);
  });
});
