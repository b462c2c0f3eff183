import { describe, expect, it } from 'vitest';
import { brushProfile, stampDab, stampSegment, type BrushOptions } from '../../../renderer/src/mask/brush';
import { changedIndices } from './mask-fixtures';

const W = 200;
const H = 120;
const at = (m: Uint8Array, x: number, y: number) => m[y * W + x]!;

describe('brush profile', () => {
  it('is 1 in the hard core, falls smoothly to 0 at the rim', () => {
    expect(brushProfile(0, 0)).toBe(1);
    expect(brushProfile(0.5, 0)).toBeCloseTo(0.5, 5);
    expect(brushProfile(1, 0)).toBe(0);
    expect(brushProfile(0.4, 0.5)).toBe(1);
    expect(brushProfile(0.75, 0.5)).toBeCloseTo(0.5, 5);
    expect(brushProfile(0.99, 1)).toBe(1);
    expect(brushProfile(1.01, 1)).toBe(0);
    let prev = 1;
    for (let t = 0; t <= 1; t += 0.01) {
      const v = brushProfile(t, 0.3);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
  });
});

describe('stampSegment', () => {
  it('a hard dab is a solid disc with a binary edge', () => {
    const m = new Uint8Array(W * H);
    const rect = stampDab(m, W, H, 50, 50, { size: 20, hardness: 1, mode: 'paint' });
    const values = new Set(m);
    expect(values).toEqual(new Set([0, 255]));
    const area = m.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(Math.abs(area - Math.PI * 100)).toBeLessThan(20);
    expect(at(m, 50, 50)).toBe(255);
    expect(at(m, 49 + 9, 50)).toBe(255); // centre 58.5 is 8.5 px away
    expect(at(m, 50 + 10, 50)).toBe(0); // centre 60.5 is 10.5 px away
    expect(rect).toEqual({ x: 40, y: 40, width: 20, height: 20 });
  });

  it('a soft dab falls off from the centre to zero at the radius', () => {
    const m = new Uint8Array(W * H);
    stampDab(m, W, H, 100.5, 60.5, { size: 40, hardness: 0, mode: 'paint' });
    expect(at(m, 100, 60)).toBe(255);
    const row = Array.from({ length: 21 }, (_, i) => at(m, 100 + i, 60));
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeLessThanOrEqual(row[i - 1]!);
    expect(row[10]).toBeGreaterThan(110); // half the radius: ~50 %
    expect(row[10]).toBeLessThan(145);
    expect(row[20]).toBe(0);
  });

  it('hardness keeps the core solid and softens only the rim', () => {
    const m = new Uint8Array(W * H);
    stampDab(m, W, H, 100.5, 60.5, { size: 40, hardness: 0.5, mode: 'paint' });
    for (let i = 0; i <= 10; i++) expect(at(m, 100 + i, 60)).toBe(255);
    expect(at(m, 115, 60)).toBeGreaterThan(60);
    expect(at(m, 115, 60)).toBeLessThan(200);
  });

  it('a fast stroke (one segment, 180 px) leaves no gaps and no scallops', () => {
    const m = new Uint8Array(W * H);
    stampSegment(m, W, H, 10, 50.5, 190, 50.5, { size: 10, hardness: 0.3, mode: 'paint' });
    const centre = Array.from({ length: 171 }, (_, i) => at(m, 15 + i, 50));
    expect(new Set(centre)).toEqual(new Set([255]));
    // Off the centre line the coverage is the same everywhere along the stroke (no dab pattern).
    const offset = Array.from({ length: 171 }, (_, i) => at(m, 15 + i, 53));
    expect(new Set(offset).size).toBe(1);
    expect(offset[0]).toBeGreaterThan(0);
    expect(offset[0]).toBeLessThan(255);
  });

  it('a zig-zag of pointer moves covers the whole path, joints included, without build-up', () => {
    const pts = [
      [20, 20],
      [80, 100],
      [85, 15],
      [150, 90],
      [190, 30],
    ];
    const opts: BrushOptions = { size: 6, hardness: 0.8, mode: 'paint' };
    const m = new Uint8Array(W * H);
    for (let i = 1; i < pts.length; i++) stampSegment(m, W, H, pts[i - 1]![0]!, pts[i - 1]![1]!, pts[i]![0]!, pts[i]![1]!, opts);
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1]!;
      const [x1, y1] = pts[i]!;
      for (let t = 0; t <= 1; t += 0.01) {
        const x = Math.floor(x0! + (x1! - x0!) * t);
        const y = Math.floor(y0! + (y1! - y0!) * t);
        expect(at(m, x, y)).toBeGreaterThan(200);
      }
    }
    // Stamping the same stroke again changes nothing (max-combine is idempotent).
    const again = m.slice();
    for (let i = 1; i < pts.length; i++) stampSegment(again, W, H, pts[i - 1]![0]!, pts[i - 1]![1]!, pts[i]![0]!, pts[i]![1]!, opts);
    expect(changedIndices(m, again)).toEqual([]);
  });

  it('paint never lowers a pixel; erase never raises one and clears the hard core', () => {
    const m = new Uint8Array(W * H).fill(200);
    stampDab(m, W, H, 100.5, 60.5, { size: 30, hardness: 0, mode: 'paint' });
    expect(Math.min(...m)).toBe(200);
    expect(at(m, 100, 60)).toBe(255);

    const e = new Uint8Array(W * H).fill(255);
    stampSegment(e, W, H, 40, 60, 160, 60, { size: 20, hardness: 0.5, mode: 'erase' });
    expect(at(e, 100, 60)).toBe(0);
    expect(at(e, 100, 30)).toBe(255); // untouched outside
    expect(at(e, 100, 68)).toBeGreaterThan(0); // soft rim partially erased
    expect(at(e, 100, 68)).toBeLessThan(255);
    expect(Math.max(...e)).toBe(255);
  });

  it('returns a rect that contains every changed pixel, and null off the mask', () => {
    const m = new Uint8Array(W * H);
    const before = m.slice();
    const rect = stampSegment(m, W, H, -5, 110, 60, 130, { size: 16, hardness: 0.2, mode: 'paint' })!;
    for (const i of changedIndices(before, m)) {
      const x = i % W;
      const y = Math.floor(i / W);
      expect(x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height).toBe(true);
    }
    expect(rect.y + rect.height).toBe(H);
    expect(stampSegment(m, W, H, -50, -50, -20, -40, { size: 10, hardness: 1, mode: 'paint' })).toBeNull();
  });
});
