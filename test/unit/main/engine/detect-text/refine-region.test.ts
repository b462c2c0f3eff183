import { beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { refineRegion } from '../../../../../main/engine/detect-text/refine-region.js';
import type { RotatedRect } from '../../../../../main/engine/detect-text/geometry.js';
import { renderScene, scoreMask, type TextScene } from './synthetic-text.js';

/** Pastes a region's crop into a full-size mask. */
function fullMask(scene: TextScene, crop: { x: number; y: number; width: number; height: number; data: Uint8Array }): Uint8Array {
  const { width } = scene.clean;
  const out = new Uint8Array(scene.textPixels.length);
  for (let y = 0; y < crop.height; y++) for (let x = 0; x < crop.width; x++) out[(crop.y + y) * width + crop.x + x] = crop.data[y * crop.width + x]!;
  return out;
}

/** The axis-aligned box around the text pixels, grown like the detector's unclipped box. */
function boxAroundText(scene: TextScene, grow: number): RotatedRect {
  const { width, height } = scene.clean;
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let i = 0; i < scene.textPixels.length; i++) {
    if (!scene.textPixels[i]) continue;
    const x = i % width;
    const y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + 1);
    y1 = Math.max(y1, y + 1);
  }
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, width: x1 - x0 + 2 * grow, height: y1 - y0 + 2 * grow, angle: 0 };
}

const lineScene = (text: string, background: string, noise = 0) =>
  renderScene({ name: 'one line', width: 420, height: 120, noise, background: `<rect width="420" height="120" fill="${background}"/>`, text });

let dark: TextScene;
let outlined: TextScene;
let textured: TextScene;
beforeAll(async () => {
  const kr = "font-family=\"'Noto Sans CJK KR'\"";
  dark = await lineScene(`<text x="30" y="78" ${kr} font-size="46" fill="#222">특가 세일 SALE</text>`, '#f4eedf');
  outlined = await lineScene(`<text x="30" y="80" ${kr} font-size="52" font-weight="bold" fill="#fff" stroke="#c01010" stroke-width="4" paint-order="stroke">핫딜 HOT</text>`, '#3a7bd5');
  // Text in the same colours as a coarse texture: no colour separates it.
  textured = await lineScene(`<text x="30" y="78" ${kr} font-size="46" fill="#777">가격 인하</text>`, '#808080', 70);
});

describe('refineRegion', () => {
  it('narrows a box to the glyph strokes and grows them in proportion to the line height', () => {
    const rect = boxAroundText(dark, 8);
    const r = refineRegion(dark.withText, rect);
    const score = scoreMask(fullMask(dark, r.mask), dark.textPixels, 420, 120);
    expect(score.recall).toBeGreaterThanOrEqual(0.99);
    expect(score.precision).toBeGreaterThan(0.9);
    expect(r.glyphShare).toBe(1);
    expect(r.lineHeight).toBeGreaterThan(30);
    expect(r.lineHeight).toBeLessThan(50);
    // Much less than the filled box: the counters and gaps between letters are kept.
    expect(score.maskPixels).toBeLessThan(0.8 * rect.width * rect.height);
  });

  it('takes a coloured outline as part of the text (light on dark, too)', () => {
    const r = refineRegion(outlined.withText, boxAroundText(outlined, 8));
    const score = scoreMask(fullMask(outlined, r.mask), outlined.textPixels, 420, 120);
    expect(score.recall).toBeGreaterThanOrEqual(0.99);
    expect(score.precision).toBeGreaterThan(0.9);
  });

  it('falls back to the filled box where texture hides the strokes, so no text is left behind', () => {
    const rect = boxAroundText(textured, 8);
    const r = refineRegion(textured.withText, rect);
    const score = scoreMask(fullMask(textured, r.mask), textured.textPixels, 420, 120);
    expect(score.recall).toBeGreaterThanOrEqual(0.99);
    expect(r.glyphShare).toBeLessThan(1);
  });

  it('works on RGBA and greyscale input the same way', () => {
    const rect = boxAroundText(dark, 8);
    const rgb = dark.withText;
    const rgba: RawImage = { ...rgb, channels: 4, data: new Uint8Array(rgb.width * rgb.height * 4) };
    for (let i = 0; i < rgb.width * rgb.height; i++) {
      rgba.data.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
      rgba.data[i * 4 + 3] = 255;
    }
    expect(refineRegion(rgba, rect).mask.data).toEqual(refineRegion(rgb, rect).mask.data);
    const grey: RawImage = { ...rgb, channels: 1, data: Uint8Array.from({ length: rgb.width * rgb.height }, (_, i) => rgb.data[i * 3 + 1]!) };
    const score = scoreMask(fullMask(dark, refineRegion(grey, rect).mask), dark.textPixels, 420, 120);
    expect(score.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('clips to the image when the box reaches past its edge', () => {
    const r = refineRegion(dark.withText, { cx: 10, cy: 10, width: 200, height: 60, angle: 0.3 });
    expect(r.mask.x).toBe(0);
    expect(r.mask.y).toBe(0);
    expect(r.mask.x + r.mask.width).toBeLessThanOrEqual(420);
    expect(r.mask.data.length).toBe(r.mask.width * r.mask.height);
  });
});
