import { afterAll, describe, expect, it } from 'vitest';
import { BACKGROUND_PRESETS } from '../../../../../preload/contract/ad-layout.js';
import type { AppError } from '../../../../../preload/contract/index.js';
import { createBackgroundEngine, paletteFromHex, renderBackdrop } from '../../../../../main/engine/background/index.js';
import { chromaHue, labOf } from '../../../../../main/engine/compose/raster/lab.js';

const engine = createBackgroundEngine();
afterAll(() => engine.close());

const yellow = paletteFromHex([
  [224, 185, 71],
  [120, 90, 40],
]);
const blue = paletteFromHex([[40, 90, 200]]);

function differing(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 3) if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > 6) d++;
  return d / (a.length / 3);
}

function meanRgb(rgb: Uint8Array): [number, number, number] {
  const s = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) s[c]! += rgb[i + c]!;
  const n = rgb.length / 3;
  return [s[0]! / n, s[1]! / n, s[2]! / n];
}

describe('procedural backdrops', () => {
  it.each(BACKGROUND_PRESETS)('%s: the requested size, the same pixels for the same seed, different ones for another seed', (preset) => {
    const a = renderBackdrop({ preset, width: 360, height: 450, seed: 11, palette: yellow });
    const again = renderBackdrop({ preset, width: 360, height: 450, seed: 11, palette: yellow });
    const other = renderBackdrop({ preset, width: 360, height: 450, seed: 12, palette: yellow });
    expect(a.rgb.length).toBe(360 * 450 * 3);
    expect([a.width, a.height, a.preset]).toEqual([360, 450, preset]);
    expect(Buffer.from(again.rgb).equals(Buffer.from(a.rgb))).toBe(true);
    expect(differing(a.rgb, other.rgb)).toBeGreaterThan(0.05);
    // A backdrop, not a flat fill: light falls off, textures have structure.
    const m = meanRgb(a.rgb);
    let spread = 0;
    for (let i = 0; i < a.rgb.length; i += 3) spread += Math.abs(a.rgb[i]! - m[0]);
    expect(spread / (a.rgb.length / 3)).toBeGreaterThan(1.5);
    expect(a.groundY).toBeGreaterThan(450 * 0.5);
    expect(a.groundY).toBeLessThan(450);
  });

  it('draws its colours from the palette: a tonal scheme keeps the product\'s hue', () => {
    let found = 0;
    for (let seed = 1; seed <= 40 && found < 3; seed++) {
      const b = renderBackdrop({ preset: 'sweep', width: 64, height: 80, seed, palette: yellow });
      if (b.harmony !== 'tonal') continue;
      found++;
      const hue = chromaHue(labOf(b.base)).h;
      const productHue = chromaHue(labOf([224, 185, 71])).h;
      expect(Math.abs(hue - productHue)).toBeLessThan(12);
    }
    expect(found).toBeGreaterThan(0);
    // Same seed, another palette: other colours.
    const y = meanRgb(renderBackdrop({ preset: 'tabletop', width: 120, height: 150, seed: 5, palette: yellow }).rgb);
    const b = meanRgb(renderBackdrop({ preset: 'tabletop', width: 120, height: 150, seed: 5, palette: blue }).rgb);
    expect(Math.abs(y[0] - b[0]) + Math.abs(y[2] - b[2])).toBeGreaterThan(10);
  });

  it('renders in worker threads exactly what it renders in-process, several candidates at once', async () => {
    const progress: number[] = [];
    const list = await engine.candidates(4, { width: 1080, height: 1350, seed: 100, palette: yellow, onProgress: (p) => progress.push(p) });
    expect(list.map((b) => b.preset)).toEqual(BACKGROUND_PRESETS.slice(0, 4));
    expect(list.map((b) => b.seed)).toEqual([100, 101, 102, 103]);
    for (const b of list) expect(b.rgb.length).toBe(1080 * 1350 * 3);
    const local = renderBackdrop({ preset: list[1]!.preset, width: 1080, height: 1350, seed: 101, palette: yellow });
    expect(Buffer.from(list[1]!.rgb).equals(Buffer.from(local.rgb))).toBe(true);
    expect(progress.at(-1)).toBeCloseTo(1, 5);
    const same = await engine.candidates(3, { preset: 'bokeh', width: 200, height: 200, seed: 7 });
    expect(same.every((b) => b.preset === 'bokeh')).toBe(true);
  }, 60_000);

  it('refuses bad requests with clear messages', async () => {
    const fail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a failure');
    };
    const e1 = await fail(engine.render({ preset: 'velvet' as never, width: 100, height: 100 }));
    expect([e1.code, e1.message]).toEqual(['bad-request', expect.stringContaining('sweep, tabletop')]);
    expect((await fail(engine.render({ width: 8, height: 100 }))).code).toBe('bad-request');
    expect((await fail(engine.render({ width: 20000, height: 100 }))).code).toBe('too-large');
    expect((await fail(engine.render({ width: 100, height: 100, seed: -1 }))).code).toBe('bad-request');
    expect((await fail(engine.candidates(0, { width: 100, height: 100 }))).code).toBe('bad-request');
  });
});
