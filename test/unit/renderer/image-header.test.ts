import sharp, { type Sharp } from 'sharp';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { probeImage } from '../../../main/core/images/image-codec';
import { checkImageLimits, readImageHeader } from '../../../renderer/src/assets/image-header';
import { RendererError } from '../../../renderer/src/assets/renderer-error';
import { bombPng } from '../main/core/support/test-images';
import { fixture } from '../../support/fixtures';

const FIXTURE = fixture('ad-market-banana-price.png');

async function photo(width: number, height: number): Promise<Sharp> {
  return sharp(await readFile(FIXTURE)).resize(width, height, { fit: 'fill' });
}

/** Renderer header vs main's probe (sharp): the limits check here must judge exactly what main judges. */
async function expectSameAsMain(bytes: Uint8Array) {
  const header = readImageHeader(bytes);
  const probe = await probeImage(bytes);
  expect(header).not.toBeNull();
  expect({ mime: header!.mime, width: header!.width, height: header!.height }).toEqual({ mime: probe.mime, width: probe.width, height: probe.height });
  return header!;
}

/** A PNG whose IHDR claims width×height (a decompression bomb needs nothing more). */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  b[24] = 8;
  b[25] = 6;
  return b;
}

describe('readImageHeader', () => {
  it('reads PNG, baseline and progressive JPEG, and lossy, lossless and extended WebP like main does', async () => {
    const img = await photo(301, 203);
    await expectSameAsMain(new Uint8Array(await img.clone().png().toBuffer()));
    await expectSameAsMain(new Uint8Array(await img.clone().jpeg({ quality: 80 }).toBuffer()));
    await expectSameAsMain(new Uint8Array(await img.clone().jpeg({ progressive: true }).toBuffer()));
    await expectSameAsMain(new Uint8Array(await img.clone().webp({ quality: 80 }).toBuffer()));
    await expectSameAsMain(new Uint8Array(await img.clone().webp({ lossless: true }).toBuffer()));
    // An alpha channel makes sharp write the extended (VP8X) container.
    const vp8x = new Uint8Array(await img.clone().ensureAlpha(0.5).webp({ quality: 80 }).toBuffer());
    expect(String.fromCharCode(...vp8x.subarray(12, 16))).toBe('VP8X');
    await expectSameAsMain(vp8x);
  });

  it('applies the EXIF orientation of a phone photo (rotated 90°: width and height swap)', async () => {
    const jpeg = new Uint8Array(await (await photo(640, 480)).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const header = await expectSameAsMain(jpeg);
    expect(header).toMatchObject({ width: 480, height: 640, orientation: 6 });
    // PNG (eXIf chunk) and WebP (EXIF chunk) carry orientation too, and main honours it.
    for (const format of ['png', 'webp'] as const) {
      const bytes = new Uint8Array(await (await photo(300, 200))[format]().withMetadata({ orientation: 6 }).toBuffer());
      expect(await expectSameAsMain(bytes)).toMatchObject({ width: 200, height: 300, orientation: 6 });
    }
    const upsideDown = readImageHeader(new Uint8Array(await (await photo(640, 480)).jpeg().withMetadata({ orientation: 3 }).toBuffer()));
    expect(upsideDown).toMatchObject({ width: 640, height: 480, orientation: 3 });
  });

  it('finds the frame size after large metadata blocks', async () => {
    const jpeg = new Uint8Array(await (await photo(120, 80)).jpeg().withMetadata({ orientation: 8 }).toBuffer());
    // Insert a 60 KB APP2 segment right after SOI, as cameras do with ICC profiles and previews.
    const app2 = new Uint8Array(4 + 60_000);
    app2.set([0xff, 0xe2, (60_002 >> 8) & 0xff, 60_002 & 0xff]);
    const padded = new Uint8Array(jpeg.length + app2.length);
    padded.set(jpeg.subarray(0, 2));
    padded.set(app2, 2);
    padded.set(jpeg.subarray(2), 2 + app2.length);
    expect(readImageHeader(padded)).toMatchObject({ mime: 'image/jpeg', width: 80, height: 120, orientation: 8 });
  });

  it('answers null when it cannot be sure (unknown format, truncated or damaged header): the host decides', () => {
    expect(readImageHeader(new TextEncoder().encode('GIF89a……'))).toBeNull();
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBeNull();
    expect(readImageHeader(pngHeader(100, 100).subarray(0, 20))).toBeNull();
    expect(readImageHeader(pngHeader(0, 100))).toBeNull();
    expect(readImageHeader(new Uint8Array(0))).toBeNull();
  });
});

describe('checkImageLimits', () => {
  it('refuses a decompression bomb from its header alone, with the same words as main', async () => {
    const bomb = bombPng(30_000, 30_000);
    const header = readImageHeader(bomb)!;
    expect(header).toMatchObject({ width: 30_000, height: 30_000 });
    const err = (() => {
      try {
        checkImageLimits(header, '"bomb.png"');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(RendererError);
    expect(err).toMatchObject({ code: 'too-large', message: '"bomb.png" is 30000×30000 (900.0 MP); the limit is 100 MP and 16384 px per side' });
    await expect(probeImage(bomb, '"bomb.png"')).rejects.toMatchObject({ code: 'too-large', message: (err as Error).message });
  });

  it('refuses a side over the limit even when the pixel count is fine, and accepts the largest allowed image', () => {
    expect(() => checkImageLimits({ width: 20_000, height: 100 }, 'strip')).toThrow(/16384 px per side/);
    expect(() => checkImageLimits({ width: 10_000, height: 10_000 }, 'max')).not.toThrow();
  });
});
