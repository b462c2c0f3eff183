import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_PRESETS, type AdLayoutInput } from '../../../../../preload/contract/ad-layout.js';
import type { AppError } from '../../../../../preload/contract/index.js';
import { encodeImage } from '../../../../../main/core/images/image-codec.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { createComposer, parseSize } from '../../../../../main/engine/compose/index.js';
import { deltaE, labOf, type Rgb } from '../../../../../main/engine/compose/raster/lab.js';
import { bottleCutout, meanLuma, tempDir, writePng } from './fixtures.js';

const tmp = tempDir('adstudio-compose-');
const composer = createComposer();
let red: string;
let green: string;
let clear: string;
beforeAll(async () => {
  red = await writePng(bottleCutout(200, 400, [205, 40, 45]), tmp.at('red.png'));
  green = await writePng(bottleCutout(200, 300, [40, 170, 60]), tmp.at('green.png'));
  clear = await writePng({ data: new Uint8Array(50 * 50 * 4), width: 50, height: 50, channels: 4 }, tmp.at('clear.png'));
});
afterAll(async () => {
  await composer.close();
  tmp.cleanup();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

const plain = { contact: { enabled: false }, drop: { enabled: false } };
const noEdges = { feather: 0, defringe: 0, lightWrap: 0 };

function meanLab(img: RawImage, x0: number, y0: number, x1: number, y1: number): Rgb {
  const s = [0, 0, 0];
  let n = 0;
  for (let y = Math.round(y0); y < Math.round(y1); y++) {
    for (let x = Math.round(x0); x < Math.round(x1); x++) {
      const o = (y * img.width + x) * 3;
      const lab = labOf([img.data[o]!, img.data[o + 1]!, img.data[o + 2]!]);
      for (let c = 0; c < 3; c++) s[c]! += lab[c]!;
      n++;
    }
  }
  return [s[0]! / n, s[1]! / n, s[2]! / n];
}

describe('compose: products', () => {
  it('auto-places a product inside the canvas, standing on the ground line of a table-top backdrop', async () => {
    const layout: AdLayoutInput = {
      canvas: { width: 1080, height: 1350 },
      background: { kind: 'preset', preset: 'tabletop', seed: 3 },
      layers: [{ kind: 'product', id: 'bottle', source: { path: red } }],
    };
    const r = await composer.compose({ layout });
    expect([r.image.width, r.image.height, r.image.channels]).toEqual([1080, 1350, 3]);
    expect(r.horizonY).not.toBeNull();
    expect(r.groundY).toBeGreaterThan(r.horizonY!);
    const b = r.placed[0]!.bounds;
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(1080);
    expect(Math.abs(b.y + b.height - r.groundY)).toBeLessThanOrEqual(2);
    // A real size, not a dot: between a fifth and 60 % of the height.
    expect(b.height).toBeGreaterThan(0.2 * 1350);
    expect(b.height).toBeLessThan(0.6 * 1350);
    // Its pixels are there (red, give or take the tone match).
    const o = (Math.round(b.y + b.height / 2) * 1080 + Math.round(b.x + b.width / 2)) * 3;
    expect(r.image.data[o]! - r.image.data[o + 1]!).toBeGreaterThan(80);
    // The layout comes back with the placement filled in; drawing it again gives the same pixels.
    const t = r.layout.layers[0]!.transform!;
    expect(t.scaleX).toBeGreaterThan(0);
    const again = await composer.compose({ layout: r.layout });
    expect(Buffer.from(again.image.data).equals(Buffer.from(r.image.data))).toBe(true);
  }, 60_000);

  it('draws a shadow that darkens the ground right below the product (and nothing far away)', async () => {
    const make = (on: boolean): AdLayoutInput => ({
      canvas: { width: 800, height: 1000 },
      background: { kind: 'solid', color: '#e8e4dc' },
      layers: [{ kind: 'product', id: 'p', source: { path: red }, shadow: { contact: { enabled: on }, drop: { enabled: on } }, edge: noEdges, tone: { enabled: false } }],
    });
    const withShadow = await composer.compose({ layout: make(true) });
    const without = await composer.compose({ layout: make(false) });
    const b = withShadow.placed[0]!.bounds;
    expect(without.placed[0]!.bounds).toEqual(b);
    const bottom = b.y + b.height;
    const x0 = b.x + b.width * 0.2;
    const x1 = b.x + b.width * 0.8;
    const dark = meanLuma(withShadow.image, x0, bottom + 1, x1, bottom + 10);
    const light = meanLuma(without.image, x0, bottom + 1, x1, bottom + 10);
    expect(light - dark).toBeGreaterThan(15);
    // Far above the product the canvas is untouched.
    expect(meanLuma(withShadow.image, 0, 0, 800, 60)).toBe(meanLuma(without.image, 0, 0, 800, 60));
  }, 60_000);

  it('tone match moves the product\'s colours toward the background\'s, by the strength asked', async () => {
    const bg = labOf([32, 80, 192]);
    const distances: number[] = [];
    for (const strength of [0, 0.5, 1]) {
      const r = await composer.compose({
        layout: {
          canvas: { width: 600, height: 800 },
          background: { kind: 'solid', color: '#2050c0' },
          layers: [{ kind: 'product', id: 'p', source: { path: red }, shadow: plain, edge: noEdges, tone: { enabled: true, strength } }],
        },
      });
      const b = r.placed[0]!.bounds;
      const inner = meanLab(r.image, b.x + b.width * 0.3, b.y + b.height * 0.3, b.x + b.width * 0.7, b.y + b.height * 0.7);
      distances.push(deltaE(inner, bg));
    }
    expect(distances[0]).toBeGreaterThan(distances[1]! + 10);
    expect(distances[1]).toBeGreaterThan(distances[2]! + 10);
    expect(distances[2]).toBeLessThan(distances[0]! * 0.25);
  }, 60_000);

  it('stacks several products in z-order: the later layer covers the earlier where they overlap', async () => {
    const layers = (first: string, second: string): AdLayoutInput['layers'] => [
      { kind: 'product', id: 'a', source: { path: first }, transform: { x: 100, y: 100 }, shadow: plain, edge: noEdges, tone: { enabled: false } },
      { kind: 'product', id: 'b', source: { path: second }, transform: { x: 140, y: 150 }, shadow: plain, edge: noEdges, tone: { enabled: false } },
    ];
    const canvas = { width: 500, height: 600 };
    const background = { kind: 'solid' as const, color: '#ffffff' };
    const rg = await composer.compose({ layout: { canvas, background, layers: layers(red, green) } });
    const gr = await composer.compose({ layout: { canvas, background, layers: layers(green, red) } });
    const o = (250 * 500 + 220) * 3; // inside both shapes
    expect(rg.image.data[o + 1]!).toBeGreaterThan(rg.image.data[o]! + 60); // green on top
    expect(gr.image.data[o]!).toBeGreaterThan(gr.image.data[o + 1]! + 60); // red on top
  }, 60_000);

  it('auto place prefers quiet background and the rule of thirds', async () => {
    // Busy stripes over the left two thirds; calm on the right.
    const w = 900;
    const h = 900;
    const rgb = new Uint8Array(w * h * 3).fill(220);
    for (let y = 0; y < h; y++) for (let x = 0; x < 600; x++) if ((Math.floor(x / 6) + Math.floor(y / 6)) % 2) rgb.fill(90, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const bgPath = tmp.at('busy.png');
    await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toFile(bgPath);
    const r = await composer.compose({
      layout: { canvas: { width: w, height: h }, background: { kind: 'image', source: { path: bgPath } }, layers: [{ kind: 'product', id: 'p', source: { path: green } }] },
    });
    const b = r.placed[0]!.bounds;
    expect(Math.abs(b.x + b.width / 2 - (2 * w) / 3)).toBeLessThan(0.05 * w);
  }, 60_000);

  it('refuses a fully transparent cut-out and a malformed layout with clear messages', async () => {
    const e1 = await rejection(composer.compose({ layout: { canvas: { width: 400, height: 400 }, background: { kind: 'solid', color: '#ffffff' }, layers: [{ kind: 'product', id: 'p', source: { path: clear } }] } }));
    expect(e1.code).toBe('bad-image');
    expect(e1.message).toMatch(/fully transparent/);
    const e2 = await rejection(composer.compose({ layout: { canvas: { width: 0, height: 400 }, background: { kind: 'solid', color: '#ffffff' }, layers: [] } as never }));
    expect(e2.code).toBe('bad-request');
    expect(e2.message).toMatch(/canvas\.width/);
    const e3 = await rejection(composer.compose({ layout: { canvas: { width: 400, height: 400 }, background: { kind: 'image', source: { path: tmp.at('missing.png') } }, layers: [] } }));
    expect(e3.code).toBe('not-found');
  });
});

describe('compose: export presets', () => {
  it.each(Object.entries(EXPORT_PRESETS))('%s renders at full resolution and encodes as PNG, JPEG and WebP', async (id, size) => {
    expect(parseSize(id)).toEqual({ width: size.width, height: size.height });
    expect(parseSize(`${size.width}x${size.height}`)).toEqual({ width: size.width, height: size.height });
    const r = await composer.compose({
      layout: { canvas: parseSize(id), background: { kind: 'preset', preset: 'sweep', seed: 1 }, layers: [{ kind: 'product', id: 'p', source: { path: red } }] },
    });
    expect([r.image.width, r.image.height]).toEqual([size.width, size.height]);
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const meta = await sharp(await encodeImage(r.image, format)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, size.width, size.height]);
    }
  }, 60_000);

  it('accepts a custom size and refuses nonsense', async () => {
    expect(parseSize('800×600')).toEqual({ width: 800, height: 600 });
    expect(() => parseSize('big')).toThrow(/not a size/);
    expect(() => parseSize('10x10')).toThrow(/too small/);
    expect(() => parseSize('20000x100')).toThrow(/over the limit/);
  });
});
