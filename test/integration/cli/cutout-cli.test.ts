import { existsSync, readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.js';
import { buildCli, cli, workDir } from './compose-cli-helpers.js';

const w = workDir('adstudio-cutout-cli-');
const banana = fixture('product-banana.png');
beforeAll(() => buildCli());
afterAll(() => w.cleanup());

async function alphaStats(file: string) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  let clear = 0;
  let solid = 0;
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] === 0) clear++;
    if (data[i] === 255) solid++;
  }
  const n = info.width * info.height;
  return { width: info.width, height: info.height, channels: info.channels, clear: clear / n, solid: solid / n };
}

describe('adstudio cutout', () => {
  it('cuts the banana out (default method) into an RGBA PNG the size of the photo', async () => {
    const r = await cli(['cutout', banana, '--out', 'cut.png'], w.dir);
    expect(r.stderr).toMatch(/wrote cut\.png \(800×705, cutout:(isnet-medium|classical)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const s = await alphaStats(w.at('cut.png'));
    expect([s.width, s.height, s.channels]).toEqual([800, 705, 4]);
    expect(s.clear).toBeGreaterThan(0.6);
    expect(s.solid).toBeGreaterThan(0.25);
  }, 120_000);

  it('writes the editable mask too, and runs the classical method when asked', async () => {
    const r = await cli(['cutout', banana, '--out', 'c2.webp', '--mask', 'm2.png', '--method', 'classical'], w.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cutout:classical/);
    const mask = await sharp(w.at('m2.png')).metadata();
    expect([mask.format, mask.width, mask.height, mask.channels]).toEqual(['png', 800, 705, 1]);
    const cut = await sharp(w.at('c2.webp')).metadata();
    expect([cut.format, cut.width, cut.height, cut.hasAlpha]).toEqual(['webp', 800, 705, true]);
  }, 60_000);

  it('fails clearly on bad input and leaves no output behind', async () => {
    const before = readdirSync(w.dir).length;
    const corrupt = await cli(['cutout', w.corrupt('broken.png'), '--out', 'x.png'], w.dir);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/adstudio: error: image is not a readable image/);
    const missing = await cli(['cutout', 'nope.png', '--out', 'x.png'], w.dir);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/image not found/)]);
    const noOut = await cli(['cutout', banana], w.dir);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringMatching(/missing --out <cutout\.png>/)]);
    const jpeg = await cli(['cutout', banana, '--out', 'x.jpg'], w.dir);
    expect([jpeg.code, jpeg.stderr]).toEqual([1, expect.stringMatching(/needs transparency: give --out a \.png or \.webp/)]);
    const method = await cli(['cutout', banana, '--out', 'x.png', '--method', 'magic'], w.dir);
    expect([method.code, method.stderr]).toEqual([1, expect.stringMatching(/unknown method "magic"; available: auto, model, classical/)]);
    const folder = await cli(['cutout', banana, '--out', 'no/such/dir/x.png'], w.dir);
    expect([folder.code, folder.stderr]).toEqual([1, expect.stringMatching(/folder .* does not exist/)]);
    expect(existsSync(w.at('x.png'))).toBe(false);
    expect(readdirSync(w.dir).length).toBe(before + 1); // only broken.png was added
  }, 60_000);
});
