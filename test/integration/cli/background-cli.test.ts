import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.js';
import { buildCli, cli, workDir } from './compose-cli-helpers.js';

const w = workDir('adstudio-background-cli-');
beforeAll(() => buildCli());
afterAll(() => w.cleanup());

describe('adstudio background', () => {
  it('renders a preset at the asked size, the same bytes for the same seed', async () => {
    const args = ['background', '--size', '1080x1350', '--preset', 'tabletop', '--palette-from', fixture('product-banana.png'), '--seed', '7'];
    const a = await cli([...args, '--out', 'a.png'], w.dir);
    expect(a.stderr).toMatch(/wrote a\.png \(1080×1350, background:tabletop, seed 7, \w+ #[0-9a-f]{6}, horizon at y=\d+\)/);
    expect(a.code).toBe(0);
    const b = await cli([...args, '--out', 'b.png'], w.dir);
    expect(b.code).toBe(0);
    expect(readFileSync(w.at('a.png')).equals(readFileSync(w.at('b.png')))).toBe(true);
    const meta = await sharp(w.at('a.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([1080, 1350, 3]);
    const other = await cli(['background', '--size', '1080x1350', '--preset', 'tabletop', '--seed', '8', '--out', 'c.png'], w.dir);
    expect(other.code).toBe(0);
    expect(readFileSync(w.at('a.png')).equals(readFileSync(w.at('c.png')))).toBe(false);
  }, 60_000);

  it('writes several candidates and takes preset size names; JPEG and WebP by extension', async () => {
    const r = await cli(['background', '--size', 'landscape', '--candidates', '3', '--out', 'cand.jpg'], w.dir);
    expect(r.code).toBe(0);
    for (const [i, preset] of ['sweep', 'tabletop', 'window'].entries()) {
      expect(r.stderr).toContain(`cand-${i + 1}.jpg (1200×628, background:${preset}, seed ${i + 1}`);
      const meta = await sharp(w.at(`cand-${i + 1}.jpg`)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 628]);
    }
  }, 60_000);

  it('fails clearly on bad input', async () => {
    const size = await cli(['background', '--size', 'big', '--out', 'x.png'], w.dir);
    expect([size.code, size.stderr]).toEqual([2, expect.stringMatching(/--size: "big" is not a size/)]);
    const noSize = await cli(['background', '--out', 'x.png'], w.dir);
    expect([noSize.code, noSize.stderr]).toEqual([2, expect.stringMatching(/missing --size/)]);
    const noOut = await cli(['background', '--size', '100x100'], w.dir);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringMatching(/missing --out <bg\.png>/)]);
    const preset = await cli(['background', '--size', '100x100', '--preset', 'velvet', '--out', 'x.png'], w.dir);
    expect([preset.code, preset.stderr]).toEqual([1, expect.stringMatching(/unknown preset "velvet"; available: sweep, tabletop, window, bokeh, marble, wood, linen, concrete/)]);
    const seed = await cli(['background', '--size', '100x100', '--seed', '-3', '--out', 'x.png'], w.dir);
    expect(seed.code).toBe(2);
    const palette = await cli(['background', '--size', '100x100', '--palette-from', w.corrupt('broken.png'), '--out', 'x.png'], w.dir);
    expect([palette.code, palette.stderr]).toEqual([1, expect.stringMatching(/palette image is not a readable image/)]);
    const huge = await cli(['background', '--size', '20000x20000', '--out', 'x.png'], w.dir);
    expect([huge.code, huge.stderr]).toEqual([1, expect.stringMatching(/over the limit/)]);
  }, 60_000);
});
