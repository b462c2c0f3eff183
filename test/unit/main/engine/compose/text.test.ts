import { afterAll, describe, expect, it } from 'vitest';
import type { AdLayoutInput, TextLayer } from '../../../../../preload/contract/ad-layout.js';
import type { AppError } from '../../../../../preload/contract/index.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { createComposer } from '../../../../../main/engine/compose/index.js';
import { fontFamilies, resolveFont } from '../../../../../main/engine/fonts/font-catalog.js';
import { fontMetrics } from '../../../../../main/engine/fonts/font-metrics.js';

const composer = createComposer();
afterAll(() => composer.close());

type TextInput = Omit<Extract<AdLayoutInput['layers'][number], { kind: 'text' }>, 'kind' | 'id'>;

/** Renders one text layer, black on white unless told otherwise, at (20, 20). */
async function render(text: Partial<TextInput> & { text: string }, canvas = { width: 900, height: 300 }) {
  return composer.compose({
    layout: {
      canvas,
      background: { kind: 'solid', color: '#ffffff' },
      layers: [{ kind: 'text', id: 't', color: '#000000', align: 'left', font: { size: 64, weight: 700 }, transform: { x: 20, y: 20 }, ...text }],
    },
  });
}

/** Pixels darker than mid grey (ink), as a mask, with its count and bounds. */
function ink(img: RawImage, test: (r: number, g: number, b: number) => boolean = (r, g, b) => r + g + b < 384) {
  const mask = new Uint8Array(img.width * img.height);
  let count = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const o = (y * img.width + x) * 3;
      if (!test(img.data[o]!, img.data[o + 1]!, img.data[o + 2]!)) continue;
      mask[y * img.width + x] = 1;
      count++;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return { mask, count, x0, y0, x1, y1 };
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  let u = 0;
  for (let k = 0; k < a.length; k++) {
    if (a[k] && b[k]) i++;
    if (a[k] || b[k]) u++;
  }
  return u === 0 ? 0 : i / u;
}

describe('text layers with the bundled fonts', () => {
  it('renders Korean with real glyphs, not missing-glyph boxes', async () => {
    const korean = await render({ text: '가나다라마바' });
    // The same number of characters the font has no glyph for (Thai): what missing glyphs look like.
    const thai = 'กขคฆงจ';
    const metrics = fontMetrics(resolveFont('Pretendard', 700).file);
    for (const ch of thai) expect(metrics.hasGlyph(ch.codePointAt(0)!)).toBe(false);
    for (const ch of '가나다라마바') expect(metrics.hasGlyph(ch.codePointAt(0)!)).toBe(true);
    const tofu = await render({ text: thai });
    const k = ink(korean.image);
    const t = ink(tofu.image);
    expect(k.count).toBeGreaterThan(3000);
    // Missing glyphs do draw something (hex boxes): the comparison below is between two inks.
    expect(t.count).toBeGreaterThan(1000);
    expect(korean.warnings).toEqual([]);
    expect(tofu.warnings.join(' ')).toMatch(/no glyph for "ก" \(U\+0E01\)/);
    expect(iou(k.mask, t.mask)).toBeLessThan(0.35);
    // Different syllables draw differently (boxes would all look alike).
    const ga = ink((await render({ text: '가' })).image);
    const na = ink((await render({ text: '나' })).image);
    expect(iou(ga.mask, na.mask)).toBeLessThan(0.6);
  }, 60_000);

  it('uses the bundled font only: fontconfig is pointed at the package folder', async () => {
    await render({ text: 'A' });
    expect(process.env.FONTCONFIG_FILE).toMatch(/adstudio-fonts/);
    expect(fontFamilies()).toContain('Pretendard');
  });

  it('draws heavier weights with more ink', async () => {
    const thin = ink((await render({ text: '달콤한 바나나 ABC', font: { size: 64, weight: 100 } })).image).count;
    const black = ink((await render({ text: '달콤한 바나나 ABC', font: { size: 64, weight: 900 } })).image).count;
    expect(black).toBeGreaterThan(thin * 2);
  });

  it('spaces lines by lineHeight × size', async () => {
    const one = ink((await render({ text: 'H\nH', lineHeight: 1 }, { width: 300, height: 400 })).image);
    const two = ink((await render({ text: 'H\nH', lineHeight: 2 }, { width: 300, height: 400 })).image);
    expect(Math.abs(two.y1 - two.y0 - (one.y1 - one.y0) - 64)).toBeLessThanOrEqual(2);
  });

  it('aligns lines left, centre and right within the box', async () => {
    const at = async (align: TextLayer['align']) => ink((await render({ text: 'HH', align, width: 600 })).image);
    const left = await at('left');
    const centre = await at('center');
    const right = await at('right');
    const w = left.x1 - left.x0;
    expect(left.x0).toBeLessThan(20 + 10);
    expect(Math.abs(centre.x0 - (20 + (600 - w) / 2))).toBeLessThanOrEqual(6);
    expect(Math.abs(right.x1 - (20 + 600))).toBeLessThanOrEqual(8);
  });

  it('wraps long copy within the box width, Korean between characters when a word is too long', async () => {
    const r = await render({ text: '오늘만특가달콤한바나나한송이이만오천원', width: 400 }, { width: 500, height: 500 });
    const b = ink(r.image);
    expect(b.x1 - 20).toBeLessThanOrEqual(400 + 2);
    expect(b.y1 - b.y0).toBeGreaterThan(2 * 64);
  });

  it('draws a stroke around the glyphs and a shadow offset from them', async () => {
    const stroked = await render({ text: 'AB 가', stroke: { color: '#ff0000', width: 8 } });
    const red = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 90;
    expect(ink(stroked.image, red).count).toBeGreaterThan(500);
    const plain = await render({ text: 'AB 가' });
    expect(ink(plain.image, red).count).toBe(0);
    const shadowed = await render({ text: 'AB 가', color: '#ffffff', shadow: { color: '#000000', blur: 1, offsetX: 0, offsetY: 12, opacity: 1 } });
    const s = ink(shadowed.image);
    const glyphs = ink(plain.image);
    expect(s.count).toBeGreaterThan(500);
    expect(s.y1).toBeGreaterThan(glyphs.y1 + 8);
  });

  it('refuses a font that is not bundled, naming the ones that are', async () => {
    try {
      await render({ text: 'x', font: { family: 'Comic Sans MS', size: 20 } });
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as AppError).code).toBe('not-found');
      expect((e as AppError).message).toMatch(/"Comic Sans MS" is not bundled; available: Pretendard/);
    }
  });
});
