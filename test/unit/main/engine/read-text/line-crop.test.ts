import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { cropLine, toPgm, type LineCrop } from '../../../../../main/engine/read-text/line-crop.js';
import type { ReadableRegion } from '../../../../../main/engine/read-text/index.js';

/** An RGB image with a bar (length × thickness) centred at (cx, cy), turned `angle` degrees clockwise. */
function barImage(opts: { angle: number; length: number; thickness: number; bar: number[]; background: number[] }): { image: RawImage; region: ReadableRegion } {
  const W = 400;
  const H = 300;
  const cx = 200;
  const cy = 150;
  const a = (opts.angle * Math.PI) / 180;
  const [ux, uy] = [Math.cos(a), Math.sin(a)];
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const s = (x + 0.5 - cx) * ux + (y + 0.5 - cy) * uy;
      const t = -(x + 0.5 - cx) * uy + (y + 0.5 - cy) * ux;
      const inBar = Math.abs(s) <= opts.length / 2 && Math.abs(t) <= opts.thickness / 2;
      data.set(inBar ? opts.bar : opts.background, (y * W + x) * 3);
    }
  }
  // The region: the bar grown by 4 px, as a detector would box it.
  const hw = opts.length / 2 + 4;
  const hh = opts.thickness / 2 + 4;
  const at = (s: number, t: number): [number, number] => [cx + s * ux - t * uy, cy + s * uy + t * ux];
  return { image: { data, width: W, height: H, channels: 3 }, region: { polygon: [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)], lineHeight: opts.thickness, angle: opts.angle } };
}

/** Share of dark (< 128) pixels in a row range and column range of a crop. */
function darkShare(crop: LineCrop, y0: number, y1: number, x0 = 0, x1 = crop.width): number {
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (crop.data[y * crop.width + x]! < 128) dark++;
  return dark / ((y1 - y0) * (x1 - x0));
}

describe('cropLine', () => {
  it('lays a rotated line out horizontally, padded, with its glyph height scaled to the target', () => {
    for (const angle of [30, -20, 0]) {
      const { image, region } = barImage({ angle, length: 200, thickness: 16, bar: [20, 20, 20], background: [240, 235, 220] });
      const crop = cropLine(image, region, { layout: 'line', tone: 'distance', targetHeight: 32 });
      // k = 32 / 16 = 2: (200 + 8 + 2 × 0.3 × 16) × 2 wide, (16 + 8 + 2 × 0.3 × 16) × 2 high.
      expect(crop.width).toBeCloseTo(435, -1);
      expect(crop.height).toBeCloseTo(67, -1);
      expect(crop.contrast).toBe(true);
      const mid = crop.height / 2;
      // The bar fills the middle band end to end (deskewed: not a diagonal) ...
      expect(darkShare(crop, Math.round(mid - 8), Math.round(mid + 8), 40, crop.width - 40)).toBeGreaterThan(0.97);
      // ... and the top and bottom of the crop are background.
      expect(darkShare(crop, 0, 10)).toBe(0);
      expect(darkShare(crop, crop.height - 10, crop.height)).toBe(0);
    }
  });

  it('turns light-on-dark and coloured copy into dark-on-white', () => {
    const cases: [number[], number[]][] = [
      [[255, 255, 255], [27, 36, 64]], // white on navy
      [[255, 224, 0], [192, 57, 43]], // yellow on red: similar luminance, different colour
    ];
    for (const [bar, background] of cases) {
      const { image, region } = barImage({ angle: 0, length: 160, thickness: 20, bar, background });
      const crop = cropLine(image, region, { layout: 'line', tone: 'distance', targetHeight: 20 });
      const mid = Math.round(crop.height / 2);
      expect(darkShare(crop, mid - 5, mid + 5, 20, crop.width - 20)).toBeGreaterThan(0.97);
      expect(darkShare(crop, 0, 4)).toBe(0);
    }
    // Luminance tones keep only the asked-for polarity: white text has nothing darker than its background.
    const { image, region } = barImage({ angle: 0, length: 160, thickness: 20, bar: [255, 255, 255], background: [27, 36, 64] });
    expect(cropLine(image, region, { layout: 'line', tone: 'lighter', targetHeight: 20 }).contrast).toBe(true);
    const darker = cropLine(image, region, { layout: 'line', tone: 'darker', targetHeight: 20 });
    expect(darker.contrast).toBe(false);
    expect(darker.data.every((v) => v === 255)).toBe(true);
  });

  it('finds no contrast in a flat patch', () => {
    const { image } = barImage({ angle: 0, length: 10, thickness: 4, bar: [128, 128, 128], background: [128, 128, 128] });
    const crop = cropLine(image, { polygon: [[100, 100], [300, 100], [300, 140], [100, 140]], lineHeight: 30, angle: 0 }, { layout: 'line', tone: 'distance', targetHeight: 32 });
    expect(crop.contrast).toBe(false);
  });

  it('keeps a steep column upright in the upright layout and turns it in the line layouts', () => {
    const { image, region } = barImage({ angle: 90, length: 180, thickness: 20, bar: [0, 0, 0], background: [255, 255, 255] });
    const upright = cropLine(image, region, { layout: 'upright', tone: 'distance', targetHeight: 20 });
    expect(upright.height).toBeGreaterThan(upright.width * 3);
    const line = cropLine(image, region, { layout: 'line', tone: 'distance', targetHeight: 20 });
    const flipped = cropLine(image, region, { layout: 'flipped', tone: 'distance', targetHeight: 20 });
    expect(line.width).toBeGreaterThan(line.height * 3);
    expect([flipped.width, flipped.height]).toEqual([line.width, line.height]);
  });

  it('bounds the crop size for huge lines', () => {
    const { image } = barImage({ angle: 0, length: 380, thickness: 40, bar: [0, 0, 0], background: [255, 255, 255] });
    // A 10 000 px banner line of 50 px glyphs (its ends beyond this small image read its edge pixels).
    const region = { polygon: [[-5000, 100], [5000, 100], [5000, 200], [-5000, 200]] as [number, number][], lineHeight: 50, angle: 0 };
    const crop = cropLine(image, region, { layout: 'line', tone: 'distance', targetHeight: 32 });
    expect(crop.width * crop.height).toBeLessThanOrEqual(300_000);
    expect(crop.width * crop.height).toBeGreaterThan(250_000);
    expect(crop.width).toBeGreaterThan(crop.height * 30);
    // Tiny print is upscaled at most 4×.
    const tiny = cropLine(image, { polygon: [[10, 10], [110, 10], [110, 14], [10, 14]], lineHeight: 3, angle: 0 }, { layout: 'line', tone: 'distance', targetHeight: 32 });
    expect(tiny.height).toBeLessThanOrEqual(Math.ceil((4 + 2 * 0.3 * 3) * 4));
  });
});

describe('toPgm', () => {
  it('writes a binary greymap Leptonica reads', () => {
    const pgm = toPgm({ data: new Uint8Array([0, 128, 255, 7, 8, 9]), width: 3, height: 2, contrast: true });
    expect(new TextDecoder().decode(pgm.subarray(0, 11))).toBe('P5\n3 2\n255\n');
    expect([...pgm.subarray(11)]).toEqual([0, 128, 255, 7, 8, 9]);
  });
});
