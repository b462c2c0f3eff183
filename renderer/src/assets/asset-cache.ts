import type { AssetInfo } from '../../../preload/contract/channels';
import { sharedMaskWorker } from '../mask/mask-worker-client';
import type { DecodedMask } from '../mask/png-gray';
import type { Platform } from '../platform/types';
import { createBrowserCodecs, type AssetCodecs } from './browser-codecs';
import { ByteLru } from './lru';
import { RendererError, unwrap } from './renderer-error';

/** Anything drawable with a size (ImageBitmap in the browser; a fake in tests). */
export interface SizedImage {
  readonly width: number;
  readonly height: number;
}

export interface AssetCacheOptions<TImage extends SizedImage> {
  platform: Pick<Platform, 'api' | 'assetUrl'>;
  /** Budget for decoded pixels (images count 4 bytes/px, masks 1 byte/px). */
  maxBytes: number;
  /**
   * Hashes that must stay decoded whatever the budget: what is on screen and being edited. (The
   * brief's "store.liveAssets() + on screen" works too, but history assets can always be decoded
   * again from the asset store, so pinning only what is visible keeps memory truly bounded.)
   */
  pinned?: () => ReadonlySet<string>;
  /** Replace how images/masks are decoded and encoded (tests); default: browser codecs + mask worker. */
  codecs?: Partial<AssetCodecs<TImage>>;
  /** Called when a decoded image leaves the cache (e.g. ImageBitmap.close()). Default: nothing; GC frees it. */
  onEvictImage?: (image: TImage) => void;
}

export interface AssetCache<TImage extends SizedImage = ImageBitmap> {
  /** Store encoded image/mask bytes (a file the user opened) as an asset. Throws RendererError. */
  uploadBytes(kind: AssetInfo['kind'], bytes: Uint8Array<ArrayBuffer>, name?: string): Promise<AssetInfo>;
  /** The decoded image for drawing; concurrent calls share one load. */
  getImage(hash: string): Promise<TImage>;
  /**
   * The mask, one byte per pixel (255 = selected). Shared and cached: never modify it — copy with
   * .slice() to paint. Rejects 'size-mismatch' if it is not width×height.
   */
  getMask(hash: string, width: number, height: number): Promise<Uint8Array>;
  /** Encode (off the UI thread) and store a mask; it is cached decoded under its new hash. `data` is copied at call time. */
  putMask(data: Uint8Array, width: number, height: number, name?: string): Promise<AssetInfo>;
  /** Already decoded? (synchronous, for render paths; refreshes recency) */
  peekImage(hash: string): TImage | undefined;
  peekMask(hash: string): Uint8Array | undefined;
  /** Re-apply the budget (call after the pinned set shrank, e.g. after undo or closing a document). */
  trim(): void;
  evict(hash: string): void;
  clear(): void;
  stats(): { bytes: number; entries: number; maxBytes: number };
}

type Entry<TImage> = { kind: 'image'; image: TImage } | { kind: 'mask'; mask: DecodedMask };

/**
 * Decoded assets by content hash with an LRU bounded by bytes. Assets are immutable, so a hash
 * always means the same pixels and entries never go stale.
 */
export function createAssetCache<TImage extends SizedImage = ImageBitmap>(options: AssetCacheOptions<TImage>): AssetCache<TImage> {
  const { platform } = options;
  const pinnedFn = options.pinned ?? (() => new Set<string>());
  let codecs: AssetCodecs<TImage> | null = null;
  const codec = (): AssetCodecs<TImage> => {
    // Browser codecs are built lazily: tests that inject all three never touch Worker/fetch.
    const given = options.codecs ?? {};
    codecs ??= {
      ...(given.loadImage && given.loadMask && given.encodeMask ? {} : (createBrowserCodecs(sharedMaskWorker()) as unknown as AssetCodecs<TImage>)),
      ...given,
    } as AssetCodecs<TImage>;
    return codecs;
  };

  // Cache keys carry the kind: the same bytes could in principle be stored as image and as mask.
  const imageKey = (hash: string) => `image:${hash}`;
  const maskKey = (hash: string) => `mask:${hash}`;
  const lru = new ByteLru<Entry<TImage>>(
    options.maxBytes,
    () => {
      const keys = new Set<string>();
      for (const h of pinnedFn()) keys.add(imageKey(h)).add(maskKey(h));
      return keys;
    },
    (_key, entry) => {
      if (entry.kind === 'image') options.onEvictImage?.(entry.image);
    },
  );
  const loading = new Map<string, Promise<Entry<TImage>>>();

  function load(key: string, fetchEntry: () => Promise<Entry<TImage>>, bytesOf: (e: Entry<TImage>) => number): Promise<Entry<TImage>> {
    const hit = lru.get(key);
    if (hit) return Promise.resolve(hit);
    let job = loading.get(key);
    if (!job) {
      job = fetchEntry()
        .then((entry) => {
          lru.set(key, entry, bytesOf(entry));
          return entry;
        })
        .catch((err: unknown) => {
          throw RendererError.from(err, 'bad-image');
        })
        .finally(() => loading.delete(key));
      loading.set(key, job);
    }
    return job;
  }

  return {
    async uploadBytes(kind, bytes, name) {
      return unwrap(await platform.api.putAsset(name === undefined ? { kind, bytes } : { kind, bytes, name }));
    },

    async getImage(hash) {
      const entry = await load(
        imageKey(hash),
        async () => ({ kind: 'image', image: await codec().loadImage(platform.assetUrl(hash)) }),
        (e) => (e.kind === 'image' ? e.image.width * e.image.height * 4 : 0),
      );
      if (entry.kind !== 'image') throw new RendererError('internal', 'asset cache holds a mask under an image key');
      return entry.image;
    },

    async getMask(hash, width, height) {
      const entry = await load(
        maskKey(hash),
        async () => ({ kind: 'mask', mask: await codec().loadMask(platform.assetUrl(hash)) }),
        (e) => (e.kind === 'mask' ? e.mask.data.byteLength : 0),
      );
      if (entry.kind !== 'mask') throw new RendererError('internal', 'asset cache holds an image under a mask key');
      const m = entry.mask;
      if (m.width !== width || m.height !== height) {
        throw new RendererError('size-mismatch', `The mask is ${m.width}×${m.height} px but the image is ${width}×${height} px`);
      }
      return m.data;
    },

    async putMask(data, width, height, name) {
      if (data.length !== width * height) throw new RendererError('bad-request', `Mask has ${data.length} bytes, expected ${width}×${height}`);
      const owned = data.slice(); // the caller may keep painting into `data`
      let png: Uint8Array<ArrayBuffer>;
      try {
        png = await codec().encodeMask(owned, width, height);
      } catch (err) {
        throw RendererError.from(err);
      }
      const info = unwrap(await platform.api.putAsset(name === undefined ? { kind: 'mask', bytes: png } : { kind: 'mask', bytes: png, name }));
      if (info.width !== width || info.height !== height) {
        throw new RendererError('internal', `The stored mask is ${info.width}×${info.height}, expected ${width}×${height}`);
      }
      lru.set(maskKey(info.hash), { kind: 'mask', mask: { data: owned, width, height } }, owned.byteLength);
      return info;
    },

    peekImage(hash) {
      const e = lru.get(imageKey(hash));
      return e?.kind === 'image' ? e.image : undefined;
    },

    peekMask(hash) {
      const e = lru.get(maskKey(hash));
      return e?.kind === 'mask' ? e.mask.data : undefined;
    },

    trim: () => lru.trim(),
    evict(hash) {
      lru.delete(imageKey(hash));
      lru.delete(maskKey(hash));
    },
    clear: () => lru.clear(),
    stats: () => ({ bytes: lru.bytes, entries: lru.size, maxBytes: options.maxBytes }),
  };
}
