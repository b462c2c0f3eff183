import { describe, expect, it } from 'vitest';
import { stampSegment } from '../../../renderer/src/mask/brush';
import { boundingBox, feather, grow, isEmpty, shrink } from '../../../renderer/src/mask/morphology';
import { imageRectToScreen, maskToOverlayRGBA, maskToScreenRGBA } from '../../../renderer/src/mask/overlay';
import { decodeGrayPng, encodeGrayPng, encodeGrayPngFast } from '../../../renderer/src/mask/png-gray';
import { firstDifference, textLikeMask } from './mask-fixtures';

/**
 * Costs of the heavy mask operations on a 4096² mask, printed for the README's performance notes
 * (node, one core; Chromium's V8 is similar). Correctness is asserted; time is reported, not judged.
 */
const N = 4096;

async function timeAsync<T>(label: string, fn: () => Promise<T>, rows: string[]): Promise<T> {
  await fn();
  const t0 = performance.now();
  const out = await fn();
  rows.push(`${label.padEnd(38)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return out;
}

function time<T>(label: string, fn: () => T, rows: string[]): T {
  fn(); // warm up the JIT once, as an interactive session would be
  const t0 = performance.now();
  const out = fn();
  rows.push(`${label.padEnd(38)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return out;
}

describe('mask operation costs on 4096×4096', () => {
  it('grow 20, shrink 20, feather 8, PNG encode/decode, overlay, brush', async () => {
    const rows: string[] = [];
    const mask = textLikeMask(N, N, 11);
    const grown = time('grow 20 px', () => grow(mask, N, N, 20), rows);
    const shrunk = time('shrink 20 px', () => shrink(mask, N, N, 20), rows);
    const soft = time('feather 8 px', () => feather(mask, N, N, 8), rows);
    const png = time('encode PNG (gray, level 6)', () => encodeGrayPng(mask, N, N), rows);
    const back = time('decode PNG', () => decodeGrayPng(png), rows);
    const fast = await timeAsync('encode PNG (platform zlib, worker)', () => encodeGrayPngFast(mask, N, N), rows);
    const rgba = new Uint8ClampedArray(N * N * 4);
    time('overlay RGBA, full mask', () => maskToOverlayRGBA(mask, N, N, '#ff3366', 0.5, rgba), rows);
    time('overlay RGBA, 256×256 dirty rect', () => maskToOverlayRGBA(mask, N, N, '#ff3366', 0.5, rgba, { x: 1000, y: 1000, width: 256, height: 256 }), rows);
    // The editor draws the overlay in screen pixels: cost follows the view, not the image.
    const view = { w: 1440, h: 900, map: { zoom: 0.2, x: 310, y: 40, pixelRatio: 1 } };
    const screen = new Uint8ClampedArray(view.w * view.h * 4);
    time('screen overlay, whole 1440×900 view', () => maskToScreenRGBA(mask, N, N, '#ff3366', 0.5, screen, view.w, view.h, view.map), rows);
    const dab = imageRectToScreen({ x: 2000, y: 2000, width: 130, height: 126 }, view.map, view.w, view.h);
    time('screen overlay, one brush move', () => maskToScreenRGBA(mask, N, N, '#ff3366', 0.5, screen, view.w, view.h, view.map, dab), rows);
    const paint = new Uint8Array(N * N);
    time('brush segment (size 100, 40 px move)', () => stampSegment(paint, N, N, 2000, 2000, 2030, 2026, { size: 100, hardness: 0.5, mode: 'paint' }), rows);
    time('copy mask (snapshot for putMask)', () => mask.slice(), rows);
    time('isEmpty', () => isEmpty(paint), rows);
    console.log(`\n${rows.join('\n')}\n  encoded mask: ${(png.length / 1024).toFixed(0)} KiB\n`);

    const box = boundingBox(mask, N, N)!;
    const grownBox = boundingBox(grown, N, N)!;
    expect(grownBox.x).toBe(Math.max(0, box.x - 20));
    expect(grownBox.y).toBe(Math.max(0, box.y - 20));
    for (let i = 0; i < mask.length; i += 997) {
      if (mask[i]) expect(grown[i]).toBe(255);
      if (!mask[i]) expect(shrunk[i]).toBe(0);
    }
    expect(isEmpty(soft)).toBe(false);
    expect(firstDifference(back.data, mask)).toBe(-1);
    expect(firstDifference(decodeGrayPng(fast).data, mask)).toBe(-1);
  });
});
