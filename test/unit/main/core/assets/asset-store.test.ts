import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { bombPng, fixture, gradientImage, rawRgba, rectMask } from '../support/test-images.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function newStore() {
  const dir = await tempDir();
  return { dir, store: new AssetStore(join(dir, 'assets')) };
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((f) => f.includes('.')).sort();
}

describe('AssetStore.put', () => {
  it('stores a real photo under its sha-256 with a sidecar, and reads it back byte for byte', async () => {
    const { dir, store } = await newStore();
    const bytes = new Uint8Array(await readFile(fixture('product-banana.png')));
    const info = await store.put(bytes, 'image', 'product-banana.png');
    expect(info).toEqual({ hash: sha(bytes), kind: 'image', mime: 'image/png', width: 800, height: 705, bytes: bytes.byteLength });
    const h = info.hash;
    expect(await filesUnder(join(dir, 'assets'))).toEqual([`${h.slice(0, 2)}/${h}.json`, `${h.slice(0, 2)}/${h}.png`]);
    expect(Buffer.from(await store.read(h)).equals(Buffer.from(bytes))).toBe(true);
    expect(await store.info(h)).toEqual(info);
    expect(await store.file(h)).toEqual({ path: join(dir, 'assets', h.slice(0, 2), `${h}.png`), mime: 'image/png' });
  });

  it('accepts JPEG and WebP with their own extension', async () => {
    const { store } = await newStore();
    const jpeg = await store.put(await gradientImage(64, 48, 'jpeg'), 'image');
    const webp = await store.put(await gradientImage(64, 48, 'webp'), 'image');
    expect([jpeg.mime, jpeg.width, jpeg.height]).toEqual(['image/jpeg', 64, 48]);
    expect(webp.mime).toBe('image/webp');
    expect((await store.file(jpeg.hash))?.path).toMatch(/\.jpg$/);
    expect((await store.file(webp.hash))?.path).toMatch(/\.webp$/);
  });

  it('stores the same bytes once, also when the puts race', async () => {
    const { dir, store } = await newStore();
    const bytes = await gradientImage(200, 100);
    const infos = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes, 'image')));
    expect(new Set(infos.map((i) => i.hash)).size).toBe(1);
    // A second store on the same folder (another process) finds it too.
    expect((await new AssetStore(join(dir, 'assets')).put(bytes, 'image')).hash).toBe(infos[0]!.hash);
    expect(await filesUnder(join(dir, 'assets'))).toHaveLength(2);
  });

  it('returns the kind the caller asked for when the same bytes are a mask', async () => {
    const { store } = await newStore();
    const bytes = await rectMask(32, 32, { x: 4, y: 4, w: 8, h: 8 });
    expect((await store.put(bytes, 'mask')).kind).toBe('mask');
    expect((await store.put(bytes, 'image')).kind).toBe('image');
  });

  it.each([
    ['a 0-byte file', () => new Uint8Array(0), 'bad-image', /empty/],
    ['random bytes', () => new Uint8Array(Buffer.from('this is not an image at all, just text')), 'bad-image', /not a readable image/],
  ])('rejects %s', async (_label, make, code, message) => {
    const { dir, store } = await newStore();
    await expect(store.put(make(), 'image')).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('rejects a truncated PNG (header intact, pixel data cut) after a full decode', async () => {
    const { dir, store } = await newStore();
    const full = await readFile(fixture('ad-apples-korean-text.png'));
    const truncated = new Uint8Array(full.subarray(0, Math.floor(full.byteLength / 2)));
    await expect(store.put(truncated, 'image', 'ad.png')).rejects.toMatchObject({ code: 'bad-image', message: expect.stringContaining('"ad.png"') });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('rejects a truncated JPEG', async () => {
    const { store } = await newStore();
    const jpeg = await gradientImage(400, 300, 'jpeg');
    await expect(store.put(jpeg.subarray(0, Math.floor(jpeg.byteLength * 0.6)), 'image')).rejects.toMatchObject({ code: 'bad-image' });
  });

  it('rejects a truncated mask too', async () => {
    const { store } = await newStore();
    const mask = await sharp(await gradientImage(300, 300)).greyscale().png().toBuffer();
    await expect(store.put(new Uint8Array(mask.subarray(0, Math.floor(mask.byteLength / 2))), 'mask')).rejects.toMatchObject({ code: 'bad-image' });
  });

  it('rejects formats other than PNG/JPEG/WebP with a clear message', async () => {
    const { store } = await newStore();
    const tiff = await sharp(await gradientImage(16, 16)).tiff().toBuffer();
    await expect(store.put(new Uint8Array(tiff), 'image')).rejects.toMatchObject({ code: 'bad-image', message: expect.stringContaining('use PNG, JPEG or WebP') });
  });

  it('rejects a 30000×30000 decompression bomb from its header: fast, without allocating it', async () => {
    const { dir, store } = await newStore();
    const bomb = bombPng(30_000, 30_000);
    expect(bomb.byteLength).toBeLessThan(4096);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await expect(store.put(bomb, 'image')).rejects.toMatchObject({ code: 'too-large', message: expect.stringContaining('30000×30000') });
    expect(performance.now() - t0).toBeLessThan(1000);
    // Decoding would need 3.6 GB; anything near that means the header was not checked first.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 2 ** 20);
    expect(await filesUnder(dir)).toEqual([]);
  });
});

describe('AssetStore.putRaw', () => {
  it('stores computed pixels losslessly as PNG', async () => {
    const { store } = await newStore();
    const src = await rawRgba(await gradientImage(50, 40, 'png', true));
    const info = await store.putRaw({ data: new Uint8Array(src.data), width: 50, height: 40, channels: 4 }, 'image');
    expect(info).toMatchObject({ mime: 'image/png', width: 50, height: 40, kind: 'image' });
    const back = await rawRgba(await store.read(info.hash));
    expect(back.data.equals(src.data)).toBe(true);
  });
});

describe('AssetStore lookups', () => {
  it('answers null for unknown or malformed hashes (never touches paths outside the store)', async () => {
    const { store } = await newStore();
    expect(await store.info('0'.repeat(64))).toBeNull();
    expect(await store.info('../../../etc/passwd')).toBeNull();
    expect(await store.file('ab'.repeat(32))).toBeNull();
    await expect(store.read('0'.repeat(64))).rejects.toMatchObject({ code: 'not-found' });
  });
});
