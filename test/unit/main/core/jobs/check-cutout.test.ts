import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkCutout } from '../../../../../main/core/jobs/check-cutout.js';

const rgba = (w: number, h: number, alpha: (i: number) => number) => {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([200, 150, 50, alpha(i)], i * 4);
  return { data, width: w, height: h, channels: 4 as const };
};

describe('checkCutout: a finished cut-out is checked before it becomes an asset', () => {
  it('accepts a cut-out of the photo’s size with transparency around the product', async () => {
    const img = rgba(40, 30, (i) => (i % 40 > 10 && i % 40 < 30 ? 255 : 0));
    await expect(checkCutout(img, { width: 40, height: 30 }, 'cutout:classical')).resolves.toBeUndefined();
    const png = new Uint8Array(await sharp(img.data, { raw: { width: 40, height: 30, channels: 4 } }).png().toBuffer());
    await expect(checkCutout(png, { width: 40, height: 30 }, 'cutout:classical')).resolves.toBeUndefined();
  });

  it('refuses a fully transparent cut-out with a message a person can act on', async () => {
    await expect(checkCutout(rgba(40, 30, () => 0), { width: 40, height: 30 }, 'cutout:isnet-medium')).rejects.toMatchObject({
      code: 'bad-image',
      message: expect.stringMatching(/fully transparent.*product stands out/s),
    });
  });

  it('refuses an engine result of another size or without any transparency (e.g. a placeholder)', async () => {
    await expect(checkCutout(rgba(40, 30, () => 255), { width: 40, height: 30 }, 'simulated:cpu')).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/simulated:cpu returned the photo without any transparency/) });
    const opaqueJpeg = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).jpeg().toBuffer());
    await expect(checkCutout(opaqueJpeg, { width: 40, height: 30 }, 'simulated:cpu')).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/64×64, not the photo's 40×30/) });
  });
});
