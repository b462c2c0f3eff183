import { describe, expect, it } from 'vitest';
import { imageRectToScreen, maskToOverlayRGBA, maskToScreenRGBA, parseColor, type ScreenMapping } from '../../../renderer/src/mask/overlay';
import { textLikeMask } from './mask-fixtures';

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

/** What the old full-size overlay looked like on screen: canvas pixel → mask pixel under its centre. */
function reference(mask: Uint8Array, w: number, h: number, cw: number, ch: number, map: ScreenMapping, color: string, opacity: number): Uint8ClampedArray {
  const full = new Uint8ClampedArray(w * h * 4);
  maskToOverlayRGBA(mask, w, h, color, opacity, full);
  const out = new Uint8ClampedArray(cw * ch * 4);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const ix = Math.floor(((x + 0.5) / map.pixelRatio - map.x) / map.zoom);
      const iy = Math.floor(((y + 0.5) / map.pixelRatio - map.y) / map.zoom);
      if (ix < 0 || iy < 0 || ix >= w || iy >= h || full[(iy * w + ix) * 4 + 3] === 0) continue;
      out.set(full.subarray((iy * w + ix) * 4, (iy * w + ix) * 4 + 4), (y * cw + x) * 4);
    }
  return out;
}

/** Alpha 0 means invisible whatever the colour bytes; compare what a person sees. */
function visible(rgba: Uint8ClampedArray): number[] {
  const out: number[] = [];
  for (let i = 0; i < rgba.length; i += 4) out.push(rgba[i + 3] === 0 ? 0 : (rgba[i]! << 24) | (rgba[i + 1]! << 16) | (rgba[i + 2]! << 8) | rgba[i + 3]!);
  return out;
}

describe('maskToScreenRGBA (the overlay in screen pixels)', () => {
  const W = 97;
  const H = 61;
  const mask = textLikeMask(W, H, 3);

  it('shows exactly what the full-size overlay drawn at the view transform showed', () => {
    for (const map of [
      { zoom: 0.37, x: 12.5, y: -3, pixelRatio: 1 },
      { zoom: 1, x: 0, y: 0, pixelRatio: 1 },
      { zoom: 3.2, x: -40, y: 7, pixelRatio: 2 },
      { zoom: 0.5, x: 30, y: 20, pixelRatio: 1.5 },
    ]) {
      const cw = 140;
      const ch = 90;
      const out = new Uint8ClampedArray(cw * ch * 4).fill(9);
      const rect = maskToScreenRGBA(mask, W, H, '#ff3366', 0.5, out, cw, ch, map);
      expect(rect).toEqual({ x: 0, y: 0, width: cw, height: ch });
      expect(visible(out)).toEqual(visible(reference(mask, W, H, cw, ch, map, '#ff3366', 0.5)));
    }
  });

  it('a brush dab rewrites only the canvas pixels its image rect covers', () => {
    const map = { zoom: 0.5, x: 10, y: 5, pixelRatio: 1 };
    const cw = 80;
    const ch = 50;
    const out = new Uint8ClampedArray(cw * ch * 4).fill(7);
    const dab = imageRectToScreen({ x: 20, y: 10, width: 9, height: 6 }, map, cw, ch);
    expect(dab).toEqual({ x: 20, y: 10, width: 5, height: 3 });
    const written = maskToScreenRGBA(mask, W, H, '#00ff00', 1, out, cw, ch, map, dab);
    expect(written).toEqual(dab);
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++) {
        const inside = x >= 20 && x < 25 && y >= 10 && y < 13;
        if (!inside) expect(out[(y * cw + x) * 4], `${x},${y}`).toBe(7);
      }
    // A rect off the canvas writes nothing.
    expect(imageRectToScreen({ x: 500, y: 0, width: 10, height: 10 }, map, cw, ch).width).toBe(0);
  });

  it('covers every canvas pixel whose sample lies in the dirty image rect (no stale edges)', () => {
    const map = { zoom: 2.7, x: -13.3, y: 4.9, pixelRatio: 1.25 };
    const r = { x: 11, y: 7, width: 5, height: 4 };
    const s = imageRectToScreen(r, map, 400, 300);
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 400; x++) {
        const ix = Math.floor(((x + 0.5) / map.pixelRatio - map.x) / map.zoom);
        const iy = Math.floor(((y + 0.5) / map.pixelRatio - map.y) / map.zoom);
        if (ix >= r.x && ix < r.x + r.width && iy >= r.y && iy < r.y + r.height) {
          expect(x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height, `${x},${y}`).toBe(true);
        }
      }
  });

  it('rejects a buffer of the wrong size or a degenerate transform', () => {
    expect(() => maskToScreenRGBA(mask, W, H, '#000000', 1, new Uint8ClampedArray(10), 2, 2, { zoom: 1, x: 0, y: 0, pixelRatio: 1 })).toThrow(/expected 16/);
    expect(() => maskToScreenRGBA(mask, W, H, '#000000', 1, new Uint8ClampedArray(16), 2, 2, { zoom: 0, x: 0, y: 0, pixelRatio: 1 })).toThrow(/zoom 0/);
  });
});
