import { describe, expect, it } from 'vitest';
import { resizeToRgb } from '../../../../../main/engine/detect-text/resample.js';
import { makeImage } from '../synthetic.js';

describe('resizeToRgb', () => {
  it('copies RGB unchanged at the same size and composites RGBA over white', () => {
    const rgb = makeImage(5, 4, 3, (x, y, c) => x * 40 + y * 10 + c);
    expect([...resizeToRgb(rgb, 5, 4)]).toEqual([...rgb.data]);
    const rgba = makeImage(2, 1, 4, (x, _y, c) => (c === 3 ? (x === 0 ? 0 : 255) : 0));
    expect([...resizeToRgb(rgba, 2, 1)]).toEqual([255, 255, 255, 0, 0, 0]);
  });

  it('averages the covered area when shrinking, so one-pixel strokes survive as grey', () => {
    // Black 1-px vertical lines every 4 px on white, shrunk 4×: every output pixel covers one line.
    const img = makeImage(64, 8, 3, (x) => (x % 4 === 1 ? 0 : 255));
    const out = resizeToRgb(img, 16, 2);
    for (const v of out) expect(v).toBeCloseTo(191, -1); // 3/4 white
  });

  it('composites RGBA over white when shrinking too (half-transparent black → mid grey)', () => {
    const img = makeImage(40, 20, 4, (_x, _y, c) => (c === 3 ? 128 : 0));
    const out = resizeToRgb(img, 10, 5);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(126);
    expect(Math.max(...out)).toBeLessThanOrEqual(128);
  });

  it('handles non-integer factors without drifting (a left/right split stays put)', () => {
    const img = makeImage(300, 10, 3, (x) => (x < 150 ? 0 : 255));
    const out = resizeToRgb(img, 128, 4);
    expect(out[0]).toBe(0);
    expect(out[(127) * 3]).toBe(255);
    expect(out[63 * 3]).toBe(0);
    expect(out[65 * 3]).toBe(255);
  });
});
