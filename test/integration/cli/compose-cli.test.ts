import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adLayoutSchema } from '../../../preload/contract/ad-layout.js';
import { fixture } from '../../support/fixtures.js';
import { buildCli, cli, workDir } from './compose-cli-helpers.js';

const w = workDir('adstudio-compose-cli-');
beforeAll(async () => {
  buildCli();
  // A cut-out and a background made by the CLI itself (classical: quick, no model needed).
  const cut = await cli(['cutout', fixture('product-banana.png'), '--out', 'cut.png', '--method', 'classical'], w.dir);
  if (cut.code !== 0) throw new Error(cut.stderr);
  const bg = await cli(['background', '--size', '1080x1350', '--preset', 'tabletop', '--palette-from', 'cut.png', '--seed', '3', '--out', 'bg.png'], w.dir);
  if (bg.code !== 0) throw new Error(bg.stderr);
}, 120_000);
afterAll(() => w.cleanup());

async function rgb(file: string) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('adstudio compose', () => {
  it('puts the product on the background with Korean copy, shadow under it; the saved layout renders the same', async () => {
    const r = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png', '--text', '달콤한 바나나', '--text', '오늘만 2만 5천원', '--out', 'ad.png', '--save-layout', 'ad.json'], w.dir);
    expect(r.stderr).toMatch(/wrote ad\.png \(1080×1350, ground line y=\d+, product-1 at \d+,\d+ \d+×\d+/);
    expect(r.code).toBe(0);
    const ad = await rgb(w.at('ad.png'));
    expect([ad.width, ad.height]).toEqual([1080, 1350]);
    const layout = adLayoutSchema.parse(JSON.parse(readFileSync(w.at('ad.json'), 'utf8')));
    expect(layout.layers.map((l) => l.kind)).toEqual(['product', 'text', 'text']);
    // Copy is drawn where the layout says: the headline box has ink that the plain background lacks.
    const head = layout.layers[1]!;
    const bg = await rgb(w.at('bg.png'));
    let changed = 0;
    const t = head.transform!;
    for (let y = Math.round(t.y); y < Math.round(t.y + 60); y++) {
      for (let x = Math.round(t.x); x < Math.round(t.x + (head.kind === 'text' ? head.width! : 0)); x++) {
        const o = (y * 1080 + x) * 3;
        if (Math.abs(ad.data[o]! - bg.data[o]!) + Math.abs(ad.data[o + 1]! - bg.data[o + 1]!) + Math.abs(ad.data[o + 2]! - bg.data[o + 2]!) > 60) changed++;
      }
    }
    expect(changed).toBeGreaterThan(1000);
    // Rendering the saved layout gives the same pixels.
    const again = await cli(['compose', '--layout', 'ad.json', '--out', 'again.png'], w.dir);
    expect(again.code).toBe(0);
    expect(Buffer.compare((await rgb(w.at('again.png'))).data, ad.data)).toBe(0);
  }, 120_000);

  it('honours --size and the switches that turn placement, shadow and tone match off', async () => {
    const r = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png', '--product', 'cut.png', '--size', '1200x628', '--no-shadow', '--no-tone-match', '--no-auto-place', '--no-light-wrap', '--out', 'banner.webp'], w.dir);
    expect(r.code).toBe(0);
    const meta = await sharp(w.at('banner.webp')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1200, 628]);
    const story = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png', '--size', 'story', '--text', 'SALE 50%', '--font', 'pretendard', '--weight', '900', '--out', 'story.jpg'], w.dir);
    expect(story.code).toBe(0);
    expect((await sharp(w.at('story.jpg')).metadata()).height).toBe(1920);
  }, 120_000);

  it('fails clearly on bad input', async () => {
    const corrupt = await cli(['compose', '--background', 'bg.png', '--product', w.corrupt('broken.png'), '--out', 'x.png'], w.dir);
    expect([corrupt.code, corrupt.stderr]).toEqual([1, expect.stringMatching(/product "product-1" is not a readable image/)]);
    const badBg = await cli(['compose', '--background', 'broken.png', '--product', 'cut.png', '--out', 'x.png'], w.dir);
    expect([badBg.code, badBg.stderr]).toEqual([1, expect.stringMatching(/background is not a readable image/)]);
    const size = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png', '--size', '1080by1350', '--out', 'x.png'], w.dir);
    expect([size.code, size.stderr]).toEqual([2, expect.stringMatching(/--size: "1080by1350" is not a size/)]);
    const noOut = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png'], w.dir);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringMatching(/missing --out <ad\.png>/)]);
    const noProduct = await cli(['compose', '--background', 'bg.png', '--out', 'x.png'], w.dir);
    expect([noProduct.code, noProduct.stderr]).toEqual([2, expect.stringMatching(/missing --product/)]);
    const font = await cli(['compose', '--background', 'bg.png', '--product', 'cut.png', '--text', '안녕', '--font', 'Comic Sans', '--out', 'x.png'], w.dir);
    expect([font.code, font.stderr]).toEqual([1, expect.stringMatching(/font "Comic Sans" is not bundled; available: Pretendard/)]);
  }, 120_000);
});
