import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { flattenDocument } from '../../../../../main/core/export/flatten.js';
import { fixture, gradientImage, rawRgba, rectMask } from '../support/test-images.js';
import { imageRecord, makeDocument, maskRecord } from '../support/test-document.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

async function newStore() {
  return new AssetStore(join(await tempDir(), 'assets'));
}

/** A solid-colour RGBA PNG. */
async function solid(width: number, height: number, rgba: [number, number, number, number]) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4);
  return new Uint8Array(await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer());
}

function px(img: { data: Uint8Array; width: number }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return [...img.data.subarray(i, i + 4)];
}

describe('flattenDocument', () => {
  it('an untransformed full-size photo comes out pixel-identical to its asset', async () => {
    const store = await newStore();
    const bytes = new Uint8Array(await readFile(fixture('ad-apples-korean-text.png')));
    const asset = await store.put(bytes, 'image');
    const mask = await store.put(await rectMask(1024, 1072, { x: 0, y: 0, w: 500, h: 500 }), 'mask');
    const doc = makeDocument(1024, 1072, [imageRecord('img', asset.hash, 1024, 1072), maskRecord('m', 'img', mask.hash, 1024, 1072)]);
    const flat = await flattenDocument(doc, store);
    const expected = await rawRgba(bytes);
    expect([flat.width, flat.height, flat.channels]).toEqual([1024, 1072, 4]);
    // The mask record is an editing aid: it must not tint or cut anything.
    expect(Buffer.from(flat.data).equals(expected.data)).toBe(true);
  });

  it('keeps semi-transparent pixels exactly (transparent background)', async () => {
    const store = await newStore();
    const bytes = await gradientImage(64, 48, 'png', true);
    const asset = await store.put(bytes, 'image');
    const flat = await flattenDocument(makeDocument(64, 48, [imageRecord('img', asset.hash, 64, 48)]), store);
    expect(Buffer.from(flat.data).equals((await rawRgba(bytes)).data)).toBe(true);
  });

  it('stacks visible layers bottom-to-top by z compared as strings', async () => {
    const store = await newStore();
    const red = await store.put(await solid(20, 20, [255, 0, 0, 255]), 'image');
    const blue = await store.put(await solid(10, 10, [0, 0, 255, 255]), 'image');
    const green = await store.put(await solid(20, 20, [0, 255, 0, 255]), 'image');
    const at = (x: number, y: number) => ({ x, y, scaleX: 1, scaleY: 1, rotation: 0 });
    const records = [
      imageRecord('bottom', red.hash, 20, 20, { z: 'a0' }),
      // "a10" < "a9" as strings: blue (a9) is above red but "Z" sorts before "a".
      imageRecord('top', blue.hash, 10, 10, { z: 'a9', transform: at(5, 5) }),
      imageRecord('hidden', green.hash, 20, 20, { z: 'b0', visible: false }),
      imageRecord('under', green.hash, 20, 20, { z: 'Z0' }),
    ];
    const flat = await flattenDocument(makeDocument(20, 20, records), store);
    expect(px(flat, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(px(flat, 5, 5)).toEqual([0, 0, 255, 255]);
    expect(px(flat, 14, 14)).toEqual([0, 0, 255, 255]);
    expect(px(flat, 15, 15)).toEqual([255, 0, 0, 255]);

    const swapped = await flattenDocument(makeDocument(20, 20, [{ ...records[0]!, z: 'b5' }, records[1]!]), store);
    expect(px(swapped, 7, 7)).toEqual([255, 0, 0, 255]);
  });

  it('applies opacity and blends over lower layers', async () => {
    const store = await newStore();
    const white = await store.put(await solid(4, 4, [255, 255, 255, 255]), 'image');
    const black = await store.put(await solid(4, 4, [0, 0, 0, 255]), 'image');
    const alone = await flattenDocument(makeDocument(4, 4, [imageRecord('b', black.hash, 4, 4, { opacity: 0.5 })]), store);
    expect(px(alone, 1, 1)).toEqual([0, 0, 0, 128]);
    const over = await flattenDocument(
      makeDocument(4, 4, [imageRecord('w', white.hash, 4, 4, { z: 'a0' }), imageRecord('b', black.hash, 4, 4, { z: 'a1', opacity: 0.5 })]),
      store,
    );
    expect(px(over, 2, 2)).toEqual([128, 128, 128, 255]);
  });

  it('rotates about the top-left corner like Konva (90° clockwise)', async () => {
    const store = await newStore();
    // 3×2 image with distinct pixels.
    const data = Buffer.from([10, 0, 0, 255, 20, 0, 0, 255, 30, 0, 0, 255, 40, 0, 0, 255, 50, 0, 0, 255, 60, 0, 0, 255]);
    const asset = await store.put(new Uint8Array(await sharp(data, { raw: { width: 3, height: 2, channels: 4 } }).png().toBuffer()), 'image');
    const rec = imageRecord('r', asset.hash, 3, 2, { transform: { x: 2, y: 0, scaleX: 1, scaleY: 1, rotation: 90 } });
    const flat = await flattenDocument(makeDocument(2, 3, [rec]), store);
    // Source (i, j) lands on (x - j - 1, y + i): the first row becomes the right column.
    expect([px(flat, 1, 0)[0], px(flat, 1, 1)[0], px(flat, 1, 2)[0]]).toEqual([10, 20, 30]);
    expect([px(flat, 0, 0)[0], px(flat, 0, 1)[0], px(flat, 0, 2)[0]]).toEqual([40, 50, 60]);
    expect(flat.data.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
  });

  it('scales up and down (strong downscales through sharp) to the right footprint', async () => {
    const store = await newStore();
    const asset = await store.put(await solid(40, 40, [200, 100, 50, 255]), 'image');
    const up = await flattenDocument(
      makeDocument(100, 100, [imageRecord('u', asset.hash, 40, 40, { transform: { x: 10, y: 10, scaleX: 2, scaleY: 1.5, rotation: 0 } })]),
      store,
    );
    expect(px(up, 50, 40)).toEqual([200, 100, 50, 255]);
    expect(px(up, 91, 40)[3]).toBe(0);
    expect(px(up, 50, 71)[3]).toBe(0);
    const down = await flattenDocument(
      makeDocument(20, 20, [imageRecord('d', asset.hash, 40, 40, { transform: { x: 0, y: 0, scaleX: 0.25, scaleY: 0.25, rotation: 0 } })]),
      store,
    );
    expect(px(down, 5, 5)).toEqual([200, 100, 50, 255]);
    expect(px(down, 10, 10)[3]).toBe(0);
  });

  it('draws a layer at its record size when the asset is a different size', async () => {
    const store = await newStore();
    const asset = await store.put(await solid(10, 10, [0, 128, 255, 255]), 'image');
    const flat = await flattenDocument(makeDocument(40, 40, [imageRecord('s', asset.hash, 20, 20)]), store);
    expect(px(flat, 18, 18)).toEqual([0, 128, 255, 255]);
    expect(px(flat, 21, 21)[3]).toBe(0);
  });
});
