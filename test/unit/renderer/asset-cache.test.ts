import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AssetInfo } from '../../../preload/contract/channels';
import type { Result } from '../../../preload/contract/errors';
import { createAssetCache, type SizedImage } from '../../../renderer/src/assets/asset-cache';
import { RendererError } from '../../../renderer/src/assets/renderer-error';
import type { DecodedMask } from '../../../renderer/src/mask/png-gray';
import { decodeGrayPng, encodeGrayPng } from '../../../renderer/src/mask/png-gray';
import { fakeHash } from './doc-fixtures';

interface FakeImage extends SizedImage {
  hash: string;
}

/** 100×100 images = 40 000 decoded bytes each. */
const IMAGE_BYTES = 100 * 100 * 4;

function setup(opts: { maxBytes?: number; pinned?: Set<string>; putAsset?: (req: { kind: 'image' | 'mask'; bytes: Uint8Array; name?: string }) => Promise<Result<AssetInfo>> } = {}) {
  const pinned = opts.pinned ?? new Set<string>();
  const urlToHash = (url: string) => url.replace('asset://', '');
  const gates = new Map<string, Promise<void>>();
  const loadImage = vi.fn(async (url: string): Promise<FakeImage> => {
    await gates.get(urlToHash(url));
    if (urlToHash(url) === fakeHash('broken')) throw new RendererError('bad-image', 'corrupt');
    return { hash: urlToHash(url), width: 100, height: 100 };
  });
  const masks = new Map<string, DecodedMask>();
  const loadMask = vi.fn(async (url: string): Promise<DecodedMask> => {
    const m = masks.get(urlToHash(url));
    if (!m) throw new RendererError('not-found', 'no such mask');
    return { ...m, data: m.data.slice() };
  });
  const encodeMask = vi.fn(async (data: Uint8Array, w: number, h: number) => encodeGrayPng(data, w, h));
  const putAsset = vi.fn(
    opts.putAsset ??
      (async (req: { kind: 'image' | 'mask'; bytes: Uint8Array }): Promise<Result<AssetInfo>> => {
        const decoded = decodeGrayPng(req.bytes);
        const hash = createHash('sha256').update(req.bytes).digest('hex');
        return { ok: true, value: { hash, kind: req.kind, mime: 'image/png', width: decoded.width, height: decoded.height, bytes: req.bytes.length } };
      }),
  );
  const evicted: string[] = [];
  const cache = createAssetCache<FakeImage>({
    platform: { api: { putAsset } as never, assetUrl: (hash) => `asset://${hash}` },
    maxBytes: opts.maxBytes ?? 3 * IMAGE_BYTES,
    pinned: () => pinned,
    codecs: { loadImage, loadMask, encodeMask },
    onEvictImage: (img) => evicted.push(img.hash),
  });
  const gate = (hash: string) => {
    let open!: () => void;
    gates.set(hash, new Promise<void>((r) => (open = r)));
    return () => open();
  };
  return { cache, loadImage, loadMask, encodeMask, putAsset, masks, pinned, evicted, gate };
}

describe('asset cache', () => {
  it('decodes an image once and serves it from memory afterwards', async () => {
    const { cache, loadImage } = setup();
    const a = await cache.getImage(fakeHash(1));
    const b = await cache.getImage(fakeHash(1));
    expect(b).toBe(a);
    expect(loadImage).toHaveBeenCalledTimes(1);
    expect(loadImage).toHaveBeenCalledWith(`asset://${fakeHash(1)}`);
    expect(cache.peekImage(fakeHash(1))).toBe(a);
    expect(cache.stats()).toMatchObject({ bytes: IMAGE_BYTES, entries: 1 });
  });

  it('shares one load between concurrent requests', async () => {
    const { cache, loadImage, gate } = setup();
    const open = gate(fakeHash(1));
    const all = Promise.all([cache.getImage(fakeHash(1)), cache.getImage(fakeHash(1)), cache.getImage(fakeHash(1))]);
    expect(cache.peekImage(fakeHash(1))).toBeUndefined();
    open();
    const [a, b, c] = await all;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(loadImage).toHaveBeenCalledTimes(1);
  });

  it('does not cache failures: the error surfaces as a RendererError and a retry loads again', async () => {
    const { cache, loadImage } = setup();
    await expect(cache.getImage(fakeHash('broken'))).rejects.toMatchObject({ name: 'RendererError', code: 'bad-image', message: 'corrupt' });
    await expect(cache.getImage(fakeHash('broken'))).rejects.toBeInstanceOf(RendererError);
    expect(loadImage).toHaveBeenCalledTimes(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('evicts the least recently used entry when over budget', async () => {
    const { cache, loadImage, evicted } = setup({ maxBytes: 3 * IMAGE_BYTES });
    for (const n of [1, 2, 3]) await cache.getImage(fakeHash(n));
    await cache.getImage(fakeHash(1)); // 1 is now the most recent; 2 is the oldest
    await cache.getImage(fakeHash(4));
    expect(evicted).toEqual([fakeHash(2)]);
    expect(cache.stats().bytes).toBe(3 * IMAGE_BYTES);
    expect(cache.peekImage(fakeHash(2))).toBeUndefined();
    await cache.getImage(fakeHash(2)); // decoded again on demand
    expect(loadImage).toHaveBeenCalledTimes(5);
  });

  it('never evicts pinned hashes, and trims once they are unpinned', async () => {
    const pinned = new Set([fakeHash(1), fakeHash(2)]);
    const { cache, evicted } = setup({ maxBytes: 2 * IMAGE_BYTES, pinned });
    for (const n of [1, 2, 3, 4, 5]) await cache.getImage(fakeHash(n));
    expect(cache.peekImage(fakeHash(1))).toBeDefined();
    expect(cache.peekImage(fakeHash(2))).toBeDefined();
    expect(evicted).toEqual([fakeHash(3), fakeHash(4), fakeHash(5)]);
    expect(cache.stats().bytes).toBe(2 * IMAGE_BYTES);

    pinned.clear();
    pinned.add(fakeHash(9));
    await cache.getImage(fakeHash(6));
    expect(cache.stats().bytes).toBeLessThanOrEqual(2 * IMAGE_BYTES);
    expect(cache.peekImage(fakeHash(6))).toBeDefined();
  });

  it('getMask checks the size against the image', async () => {
    const { cache, masks, loadMask } = setup();
    masks.set(fakeHash('m'), { data: new Uint8Array(6).fill(255), width: 3, height: 2 });
    await expect(cache.getMask(fakeHash('m'), 3, 2)).resolves.toEqual(new Uint8Array(6).fill(255));
    await expect(cache.getMask(fakeHash('m'), 2, 3)).rejects.toMatchObject({ code: 'size-mismatch', message: 'The mask is 3×2 px but the image is 2×3 px' });
    expect(loadMask).toHaveBeenCalledTimes(1);
    await expect(cache.getMask(fakeHash('nope'), 3, 2)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('putMask stores a snapshot: later painting into the buffer changes neither the upload nor the cache', async () => {
    const { cache, putAsset, loadMask } = setup();
    const data = new Uint8Array(64 * 32);
    data.fill(255, 100, 900);
    const expected = data.slice();
    const pending = cache.putMask(data, 64, 32, 'mask.png');
    data.fill(7); // the brush keeps going while the upload runs
    const info = await pending;

    expect(putAsset).toHaveBeenCalledTimes(1);
    const req = putAsset.mock.calls[0]![0];
    expect(req.kind).toBe('mask');
    expect(req.name).toBe('mask.png');
    expect(decodeGrayPng(req.bytes).data).toEqual(expected);
    expect(info).toMatchObject({ kind: 'mask', width: 64, height: 32 });
    expect(await cache.getMask(info.hash, 64, 32)).toEqual(expected);
    expect(loadMask).not.toHaveBeenCalled();
  });

  it('API errors become RendererErrors with the code and message from main', async () => {
    const { cache } = setup({ putAsset: async () => ({ ok: false, error: { code: 'too-large', message: 'The image is 200 MP; the limit is 100 MP' } }) });
    const err = await cache.uploadBytes('image', new Uint8Array([1, 2, 3]), 'huge.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RendererError);
    expect(err).toMatchObject({ code: 'too-large', message: 'The image is 200 MP; the limit is 100 MP' });
    await expect(cache.putMask(new Uint8Array(4), 2, 2)).rejects.toMatchObject({ code: 'too-large' });
    await expect(cache.putMask(new Uint8Array(3), 2, 2)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('mask and image entries for the same hash do not collide', async () => {
    const { cache, masks } = setup();
    masks.set(fakeHash(1), { data: new Uint8Array(100 * 100), width: 100, height: 100 });
    const img = await cache.getImage(fakeHash(1));
    const mask = await cache.getMask(fakeHash(1), 100, 100);
    expect(img.width).toBe(100);
    expect(mask).toBeInstanceOf(Uint8Array);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: IMAGE_BYTES + 100 * 100 });
    cache.evict(fakeHash(1));
    expect(cache.stats().entries).toBe(0);
  });
});
