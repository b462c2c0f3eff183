import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssetStore } from '../../../main/core/assets/asset-store';
import { probeImage } from '../../../main/core/images/image-codec';
import type { AssetInfo } from '../../../preload/contract/channels';
import type { Result } from '../../../preload/contract/errors';
import { createAssetCache, type SizedImage, type UploadFailure } from '../../../renderer/src/assets/asset-cache';
import { RendererError } from '../../../renderer/src/assets/renderer-error';
import type { DecodedMask } from '../../../renderer/src/mask/png-gray';
import { decodeGrayPng, encodeGrayPng } from '../../../renderer/src/mask/png-gray';
import { bombPng } from '../main/core/support/test-images';
import { fakeHash } from './doc-fixtures';

interface FakeImage extends SizedImage {
  hash: string;
}

/** 100×100 images = 40 000 decoded bytes each. */
const IMAGE_BYTES = 100 * 100 * 4;

function setup(opts: { maxBytes?: number; pinned?: Set<string>; putAsset?: (req: { kind: 'image' | 'mask'; bytes: Uint8Array; name?: string }) => Promise<Result<AssetInfo>> } = {}) {
  const failures: UploadFailure[] = [];
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
  const encodeMask = vi.fn(async (data: Uint8Array<ArrayBuffer>, w: number, h: number) => ({ png: encodeGrayPng(data, w, h), data }));
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
    onUploadFailed: (f) => failures.push(f),
    deferUpload: (start) => setTimeout(start, 0),
  });
  const gate = (hash: string) => {
    let open!: () => void;
    gates.set(hash, new Promise<void>((r) => (open = r)));
    return () => open();
  };
  return { cache, loadImage, loadMask, encodeMask, putAsset, masks, pinned, evicted, gate, failures };
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
    data.fill(7); // the brush keeps going while the mask is encoded and uploaded
    const info = await pending;
    await cache.whenUploaded([info.hash]);

    expect(putAsset).toHaveBeenCalledTimes(1);
    const req = putAsset.mock.calls[0]![0];
    expect(req.kind).toBe('mask');
    expect(req.name).toBe('mask.png');
    expect(decodeGrayPng(req.bytes).data).toEqual(expected);
    expect(info).toEqual({ hash: createHash('sha256').update(req.bytes).digest('hex'), kind: 'mask', mime: 'image/png', width: 64, height: 32, bytes: req.bytes.length });
    expect(await cache.getMask(info.hash, 64, 32)).toEqual(expected);
    expect(loadMask).not.toHaveBeenCalled();
  });

  it('putMask names the mask before the host has it (the undo step does not wait); the upload follows', async () => {
    let release!: () => void;
    const hostBusy = new Promise<void>((r) => (release = r));
    const { cache, putAsset } = setup({
      putAsset: async (req) => {
        await hostBusy;
        const hash = createHash('sha256').update(req.bytes).digest('hex');
        return { ok: true, value: { hash, kind: req.kind, mime: 'image/png', width: 8, height: 8, bytes: req.bytes.length } };
      },
    });
    const info = await cache.putMask(new Uint8Array(64).fill(255), 8, 8);
    expect(cache.uploads()).toEqual({ count: 1, bytes: info.bytes });
    let stored = false;
    const waiting = cache.whenUploaded([info.hash]).then(() => (stored = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(stored).toBe(false);
    expect(putAsset).toHaveBeenCalledTimes(1);
    release();
    await waiting;
    expect(cache.uploads()).toEqual({ count: 0, bytes: 0 });
  });

  it('an adopted mask is not copied: the cache keeps that very buffer', async () => {
    const { cache } = setup();
    const data = new Uint8Array(16 * 16).fill(255);
    const info = await cache.putMask(data, 16, 16, undefined, { adopt: true });
    expect(cache.peekMask(info.hash)).toBe(data);
  });

  it('API errors become RendererErrors with the code and message from main', async () => {
    const { cache, failures } = setup({ putAsset: async () => ({ ok: false, error: { code: 'too-large', message: 'The image is 200 MP; the limit is 100 MP' } }) });
    const err = await cache.uploadBytes('image', new Uint8Array([1, 2, 3]), 'huge.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RendererError);
    expect(err).toMatchObject({ code: 'too-large', message: 'The image is 200 MP; the limit is 100 MP' });
    // A refused background upload: reported once, and what waits for it fails with the reason.
    const info = await cache.putMask(new Uint8Array(4), 2, 2);
    await expect(cache.whenUploaded([info.hash])).rejects.toMatchObject({ code: 'too-large' });
    expect(failures).toEqual([expect.objectContaining({ hash: info.hash, kind: 'mask', error: expect.objectContaining({ code: 'too-large' }) })]);
    expect(cache.uploadError(info.hash)).toMatchObject({ code: 'too-large' });
    await expect(cache.putMask(new Uint8Array(3), 2, 2)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('an evicted asset that is still uploading is fetched only once the host has it', async () => {
    const order: string[] = [];
    const { cache, masks, loadMask } = setup({
      maxBytes: 10,
      putAsset: async (req) => {
        order.push('put');
        const hash = createHash('sha256').update(req.bytes).digest('hex');
        masks.set(hash, { ...decodeGrayPng(req.bytes) });
        return { ok: true, value: { hash, kind: req.kind, mime: 'image/png', width: 8, height: 8, bytes: req.bytes.length } };
      },
    });
    loadMask.mockImplementation(async (url: string) => {
      order.push('fetch');
      const m = masks.get(url.replace('asset://', ''));
      if (!m) throw new RendererError('not-found', 'HTTP 404');
      return { ...m, data: m.data.slice() };
    });
    const info = await cache.putMask(new Uint8Array(64).fill(9), 8, 8); // 64 bytes > budget: evicted at once
    expect(cache.peekMask(info.hash)).toBeUndefined();
    expect(await cache.getMask(info.hash, 8, 8)).toEqual(new Uint8Array(64).fill(9));
    expect(order).toEqual(['put', 'fetch']);
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

describe('asset cache: opening a file (importImage)', () => {
  const tempDirs: string[] = [];
  afterEach(async () => {
    await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  /** The real main-side AssetStore behind putAsset, and fake decoders that record what they were asked. */
  async function importSetup(opts: { preview?: boolean; decodeFails?: boolean } = {}) {
    const dir = await mkdtemp(join(tmpdir(), 'adstudio-cache-'));
    tempDirs.push(dir);
    const store = new AssetStore(join(dir, 'assets'));
    const putAsset = vi.fn(async (req: { kind: 'image' | 'mask'; bytes: Uint8Array; name?: string }): Promise<Result<AssetInfo>> => {
      try {
        return { ok: true, value: await store.put(req.bytes, req.kind, req.name) };
      } catch (e) {
        const err = e as { code: 'bad-image'; message: string };
        return { ok: false, error: { code: err.code, message: err.message } };
      }
    });
    const decoded: string[] = [];
    const failures: UploadFailure[] = [];
    const loadImage = vi.fn(async (): Promise<FakeImage> => ({ hash: 'fetched', width: 1, height: 1 }));
    const cache = createAssetCache<FakeImage>({
      platform: { api: { putAsset } as never, assetUrl: (hash) => `asset://${hash}` },
      maxBytes: 1 << 30,
      codecs: {
        loadImage,
        decodeImage: async (file) => {
          decoded.push(`full:${file.size}`);
          if (opts.decodeFails) throw new RendererError('bad-image', 'The image could not be decoded (broken)');
          const probe = await probeImage(new Uint8Array(await file.arrayBuffer()));
          return { hash: 'local', width: probe.width, height: probe.height };
        },
        decodePreview: async (_file, header) => {
          decoded.push('preview');
          return opts.preview ? { hash: 'preview', width: Math.ceil(header.width / 4), height: Math.ceil(header.height / 4) } : null;
        },
      },
      onUploadFailed: (f) => failures.push(f),
      deferUpload: (start) => setTimeout(start, 0),
    });
    return { cache, putAsset, decoded, failures, loadImage, store };
  }

  const photo = async (format: 'jpeg' | 'png', width = 320, height = 200) =>
    new Uint8Array(await sharp('/work/shared/fixtures/ad-market-banana-price.png').resize(width, height, { fit: 'fill' })[format]().toBuffer());

  it('knows the asset at once, decodes here, and the host stores the same bytes under the same hash', async () => {
    const { cache, putAsset, decoded, loadImage } = await importSetup();
    const bytes = await photo('jpeg');
    const info = await cache.importImage(new Blob([bytes]), 'banana.jpg');
    expect(info).toEqual({ hash: createHash('sha256').update(bytes).digest('hex'), kind: 'image', mime: 'image/jpeg', width: 320, height: 200, bytes: bytes.length });
    const image = await cache.getImage(info.hash);
    expect(image).toMatchObject({ hash: 'local', width: 320, height: 200 });
    expect(loadImage).not.toHaveBeenCalled(); // never fetched back from the host
    expect(decoded).toEqual(['preview', `full:${bytes.length}`]);
    await cache.whenUploaded([info.hash]);
    expect(putAsset).toHaveBeenCalledTimes(1);
    expect(putAsset.mock.results[0] && (await putAsset.mock.results[0].value)).toEqual({ ok: true, value: info });
  });

  it('a big JPEG shows a quick preview until the full decode is there', async () => {
    const { cache } = await importSetup({ preview: true });
    const info = await cache.importImage(new Blob([await photo('jpeg', 800, 600)]), 'big.jpg');
    const preview = cache.getPreview(info.hash);
    expect(await preview).toMatchObject({ hash: 'preview', width: 200, height: 150 });
    await cache.getImage(info.hash);
    expect(await cache.getPreview(info.hash)).toBeNull();
  });

  it('refuses a decompression bomb from its header: nothing is decoded or sent', async () => {
    const { cache, putAsset, decoded } = await importSetup();
    const err = await cache.importImage(new Blob([bombPng(30_000, 30_000) as Uint8Array<ArrayBuffer>]), 'bomb.png').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'too-large', message: '"bomb.png" is 30000×30000 (900.0 MP); the limit is 100 MP and 16384 px per side' });
    expect(decoded).toEqual([]);
    expect(putAsset).not.toHaveBeenCalled();
  });

  it('a header it cannot read goes the old way: the host validates first and explains', async () => {
    const { cache, putAsset, decoded } = await importSetup();
    await expect(cache.importImage(new Blob([new TextEncoder().encode('GIF89a not really')]), 'anim.gif')).rejects.toMatchObject({ code: 'bad-image' });
    expect(putAsset).toHaveBeenCalledTimes(1);
    expect(decoded).toEqual([]);
    await expect(cache.importImage(new Blob([]), 'empty.png')).rejects.toMatchObject({ code: 'bad-image', message: '"empty.png" is empty (0 bytes)' });
  });

  it('a truncated file the host refuses is reported once through onUploadFailed', async () => {
    const { cache, failures } = await importSetup();
    const bytes = await photo('png');
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const info = await cache.importImage(new Blob([cut]), 'cut.png');
    await expect(cache.whenUploaded([info.hash])).rejects.toMatchObject({ code: 'bad-image' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ hash: info.hash, kind: 'image', name: 'cut.png' });
    expect(failures[0]!.error.message).toMatch(/truncated|corrupt|decoded/i);
  });

  it('a painted mask (real encoder) is stored by the host under the hash the renderer gave it', async () => {
    const { cache, store } = await importSetup();
    const mask = new Uint8Array(640 * 480);
    for (let y = 100; y < 300; y++) mask.fill(255, y * 640 + 50, y * 640 + 400);
    const info = await cache.putMask(mask, 640, 480, 'mask.png');
    await cache.whenUploaded([info.hash]);
    expect(await store.info(info.hash)).toEqual({ ...info, kind: 'mask' });
    expect(createHash('sha256').update(await store.read(info.hash)).digest('hex')).toBe(info.hash);
  });

  it('a local decode failure surfaces from getImage as bad-image', async () => {
    const { cache } = await importSetup({ decodeFails: true });
    const info = await cache.importImage(new Blob([await photo('jpeg')]), 'x.jpg');
    await expect(cache.getImage(info.hash)).rejects.toMatchObject({ code: 'bad-image', message: 'The image could not be decoded (broken)' });
  });
});
