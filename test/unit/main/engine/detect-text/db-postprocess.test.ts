import { describe, expect, it } from 'vitest';
import { dbBoxes } from '../../../../../main/engine/detect-text/db-postprocess.js';

/** A probability map with `value` inside a rotated bar. */
function mapWithBar(w: number, h: number, bar: { cx: number; cy: number; len: number; thick: number; deg: number }, value = 0.9): Float32Array {
  const m = new Float32Array(w * h);
  const a = (bar.deg * Math.PI) / 180;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - bar.cx;
      const dy = y + 0.5 - bar.cy;
      if (Math.abs(dx * Math.cos(a) + dy * Math.sin(a)) <= bar.len / 2 && Math.abs(dy * Math.cos(a) - dx * Math.sin(a)) <= bar.thick / 2) m[y * w + x] = value;
    }
  }
  return m;
}

describe('DB post-processing', () => {
  it('turns a rotated text kernel into one unclipped rotated box with its score', () => {
    const m = mapWithBar(300, 200, { cx: 150, cy: 100, len: 200, thick: 16, deg: -20 });
    const boxes = dbBoxes(m, 300, 200, { unclipRatio: 1.5 });
    expect(boxes).toHaveLength(1);
    const { rect, score } = boxes[0]!;
    expect(score).toBeGreaterThan(0.8); // pixel staircase along the rotated edges counts a little background
    expect((rect.angle * 180) / Math.PI).toBeCloseTo(-20, 0);
    // Grown by about area × 1.5 / perimeter on each side.
    const d = (200 * 16 * 1.5) / (2 * 216);
    expect(rect.width).toBeGreaterThan(200 + 2 * d - 4);
    expect(rect.width).toBeLessThan(200 + 2 * d + 4);
    expect(rect.height).toBeGreaterThan(16 + 2 * d - 4);
    expect(rect.height).toBeLessThan(16 + 2 * d + 4);
    expect(rect.cx).toBeCloseTo(150, 0);
    expect(rect.cy).toBeCloseTo(100, 0);
  });

  it('drops weak candidates, specks and an empty map', () => {
    const weak = mapWithBar(200, 100, { cx: 100, cy: 50, len: 120, thick: 12, deg: 0 }, 0.45);
    expect(dbBoxes(weak, 200, 100)).toEqual([]);
    const speck = new Float32Array(200 * 100);
    speck[50 * 200 + 100] = 0.99;
    speck[50 * 200 + 101] = 0.99;
    expect(dbBoxes(speck, 200, 100)).toEqual([]);
    expect(dbBoxes(new Float32Array(200 * 100), 200, 100)).toEqual([]);
  });

  it('keeps separate lines separate, largest first', () => {
    const a = mapWithBar(300, 200, { cx: 150, cy: 50, len: 240, thick: 20, deg: 0 });
    const b = mapWithBar(300, 200, { cx: 100, cy: 150, len: 100, thick: 10, deg: 0 });
    const m = a.map((v, i) => Math.max(v, b[i]!));
    const boxes = dbBoxes(m, 300, 200);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]!.rect.cy).toBeCloseTo(50, 0);
    expect(boxes[1]!.rect.cy).toBeCloseTo(150, 0);
  });
});
