import { describe, expect, it } from 'vitest';
import { maskToOverlayRGBA, parseColor } from '../../../renderer/src/mask/overlay';

describe('maskToOverlayRGBA', () => {
  it('writes the colour everywhere and alpha = mask × opacity', () => {
    const mask = new Uint8Array([0, 128, 255, 64]);
    const out = new Uint8ClampedArray(16);
    const rect = maskToOverlayRGBA(mask, 2, 2, '#ff3366', 0.5, out);
    expect(rect).toEqual({ x: 0, y: 0, width: 2, height: 2 });
    expect([...out]).toEqual([255, 51, 102, 0, 255, 51, 102, 64, 255, 51, 102, 128, 255, 51, 102, 32]);
  });

  it('rewrites only the dirty rect', () => {
    const w = 8;
    const h = 6;
    const mask = new Uint8Array(w * h).fill(255);
    const out = new Uint8ClampedArray(w * h * 4).fill(7);
    const rect = maskToOverlayRGBA(mask, w, h, '#00ff00', 1, out, { x: 2.5, y: 1, width: 3, height: 2 });
    expect(rect).toEqual({ x: 2, y: 1, width: 4, height: 2 });
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        const inside = x >= 2 && x < 6 && y >= 1 && y < 3;
        expect([...out.subarray(o, o + 4)]).toEqual(inside ? [0, 255, 0, 255] : [7, 7, 7, 7]);
      }
    // A rect outside the mask writes nothing.
    expect(maskToOverlayRGBA(mask, w, h, '#00ff00', 1, out, { x: 20, y: 0, width: 5, height: 5 }).width).toBe(0);
  });

  it('rejects a bad colour or buffer', () => {
    expect(() => parseColor('red')).toThrow(/#rrggbb/);
    expect(() => maskToOverlayRGBA(new Uint8Array(4), 2, 2, '#000000', 1, new Uint8ClampedArray(15))).toThrow(/expected 16/);
  });
});
