import type { AssetInfo } from '../../../preload/contract/channels';
import { sharedMaskWorker } from '../mask/mask-worker-client';
import type { DecodedMask } from '../mask/png-gray';
import type { Platform } from '../platform/types';
import { createBrowserCodecs, type AssetCodecs } from './browser-codecs';
import { checkImageLimits, readImageHeader } from './image-header';
import { ByteLru } from './lru';
import { RendererError, unwrap } from './renderer-error';
import { UploadQueue, type UploadFailure } from './upload-queue';

export type { UploadFailure } from './upload-queue';

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
  /** The host refused a background upload for good (corrupt or truncated file…): the caller decides what to close. */
  onUploadFailed?: (failure: UploadFailure) => void;
  /** When background uploads start (tests); default: when the UI thread is idle. */
  deferUpload?: (start: () => void) => void;
}

export interface AssetCache<TImage extends SizedImage = ImageBitmap> {
  /** Store encoded image/mask bytes (a file the user opened) as an asset and wait for the host. Throws RendererError. */
  uploadBytes(kind: AssetInfo['kind'], bytes: Uint8Array<ArrayBuffer>, name?: string): Promise<AssetInfo>;
  /**
   * A file the user opened, ready to show: the header is checked against the limits (nothing is
   * decoded before), the content hash is computed and the image decoded here, and the host gets
   * the bytes in the background (whenUploaded). Formats or headers this side cannot read with
   * certainty take the old way: the host validates first. Throws RendererError.
   */
  importImage(file: Blob, name?: string): Promise<AssetInfo>;
  /** Resolves when the host has these assets (default: every pending upload); rejects with its reason if it refused one. */
  whenUploaded(hashes?: Iterable<string | null | undefined>): Promise<void>;
  /** Uploads still on their way. */
  uploads(): { count: number; bytes: number };
  onUploads(listener: () => void): () => void;
  /** Send again what waited for the connection. */
  retryUploads(): void;
  /** Why the host refused this asset, if it did (null: stored, on its way, or unknown). */
  uploadError(hash: string): RendererError | null;
  /** The decoded image for drawing; concurrent calls share one load. */
  getImage(hash: string): Promise<TImage>;
  /**
   * A reduced-resolution stand-in for a just-opened photo while getImage() is still decoding it
   * (draw it at the image's full size). null when there is none or the full image is ready.
   */
  getPreview(hash: string): Promise<TImage | null>;
  /**
   * The mask, one byte per pixel (255 = selected). Shared and cached: never modify it — copy with
   * .slice() to paint. Rejects 'size-mismatch' if it is not width×height.
   */
  getMask(hash: string, width: number, height: number): Promise<Uint8Array>;
  /**
   * Encode (off the UI thread) and hash a mask; it is cached decoded under its new hash and reaches
   * the host in the background (whenUploaded). `data` is copied at call time.
   */
  putMask(data: Uint8Array, width: number, height: number, name?: string, options?: PutMaskOptions): Promise<AssetInfo>;
  /** Already decoded? (synchronous, for render paths; refreshes recency) */
  peekImage(hash: string): TImage | undefined;
  peekMask(hash: string): Uint8Array | undefined;
  /** Re-apply the budget (call after the pinned set shrank, e.g. after undo or closing a document). */
  trim(): void;
  evict(hash: string): void;
  clear(): void;
  stats(): { bytes: number; entries: number; maxBytes: number };
}

export interface PutMaskOptions {
  /**
   * The caller hands `data` over instead of it being copied (saves a mask-sized copy): it is moved
   * to the encoder meanwhile and then kept as the cached pixels, so it must never be written again.
   */
  adopt?: boolean;
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
    // Built lazily, and browser codecs fill only what tests did not inject (they touch Worker/fetch when used).
    codecs ??= { ...(createBrowserCodecs(sharedMaskWorker()) as unknown as AssetCodecs<TImage>), ...options.codecs };
    return codecs;
  };
  const uploads = new UploadQueue({
    put: async (req) => unwrap(await platform.api.putAsset(req)),
    ...(options.onUploadFailed ? { onFailed: options.onUploadFailed } : {}),
    ...(options.deferUpload ? { defer: options.deferUpload } : {}),
  });

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
  const previews = new Map<string, Promise<TImage | null>>();

  function load(key: string, hash: string, fetchEntry: () => Promise<Entry<TImage>>, bytesOf: (e: Entry<TImage>) => number): Promise<Entry<TImage>> {
    const hit = lru.get(key);
    if (hit) return Promise.resolve(hit);
    let job = loading.get(key);
    if (!job) {
      // Evicted before the host had it: the URL only works once the upload is through.
      const stored = uploads.has(hash) ? uploads.whenStored([hash]) : Promise.resolve();
      job = stored
        .then(fetchEntry)
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

  async function uploadBytes(kind: AssetInfo['kind'], bytes: Uint8Array<ArrayBuffer>, name?: string): Promise<AssetInfo> {
    return unwrap(await platform.api.putAsset(name === undefined ? { kind, bytes } : { kind, bytes, name }));
  }

  return {
    uploadBytes,

    async importImage(file, name) {
      const label = name ? `"${name}"` : 'The image';
      if (file.size === 0) throw new RendererError('bad-image', `${label} is empty (0 bytes)`);
      let bytes: Uint8Array<ArrayBuffer> | null = null;
      let header = readImageHeader(await readBytes(file.slice(0, HEADER_BYTES)));
      if (!header && file.size > HEADER_BYTES) header = readImageHeader((bytes = await readBytes(file))); // big metadata first
      if (!header) return uploadBytes('image', bytes ?? (await readBytes(file)), name);
      checkImageLimits(header, label);

      // Decoding (other threads) overlaps reading and hashing; the document opens when the hash is
      // known. A big JPEG first gets a quick screen-sized decode, then the full one (not both at
      // once: on a small machine they would slow each other down).
      const preview = codec().decodePreview(file, header).catch(() => null);
      const decoding = preview.then(() => codec().decodeImage(file));
      decoding.catch(() => {});
      let hash: string;
      try {
        bytes ??= await readBytes(file);
        hash = await codec().sha256(bytes);
      } catch (err) {
        decoding.then((img) => options.onEvictImage?.(img), () => {});
        throw RendererError.from(err, 'io');
      }
      const key = imageKey(hash);
      let decoded: Promise<unknown> = decoding;
      if (lru.has(key) || loading.has(key)) {
        // The same file again: keep the bitmap already on screen (replacing it would close it).
        decoding.then((img) => options.onEvictImage?.(img), () => {});
      } else {
        const job = decoding
          .then((image): Entry<TImage> => {
            if (image.width !== header.width || image.height !== header.height) {
              console.warn(`adstudio: ${label} decodes to ${image.width}×${image.height} here; its header says ${header.width}×${header.height}`);
            }
            const entry: Entry<TImage> = { kind: 'image', image };
            lru.set(key, entry, image.width * image.height * 4);
            return entry;
          })
          .catch((err: unknown) => {
            throw RendererError.from(err, 'bad-image');
          })
          .finally(() => loading.delete(key));
        job.catch(() => {}); // getImage() reports it
        loading.set(key, job);
        decoded = job;
        previews.set(hash, preview);
        // Dropped, not closed, once the full image is there: a frame may still be drawing it.
        void job.then(
          () => previews.delete(hash),
          () => previews.delete(hash),
        );
      }
      uploads.add({ hash, kind: 'image', bytes, ...(name === undefined ? {} : { name }), width: header.width, height: header.height }, decoded);
      return { hash, kind: 'image', mime: header.mime, width: header.width, height: header.height, bytes: bytes.byteLength };
    },

    getPreview: (hash) => (lru.has(imageKey(hash)) ? Promise.resolve(null) : (previews.get(hash) ?? Promise.resolve(null))),

    whenUploaded: (hashes) => uploads.whenStored(hashes),
    uploads: () => uploads.stats(),
    onUploads: (listener) => uploads.subscribe(listener),
    retryUploads: () => uploads.retry(),
    uploadError: (hash) => uploads.failure(hash),

    async getImage(hash) {
      const entry = await load(
        imageKey(hash),
        hash,
        async () => ({ kind: 'image', image: await codec().loadImage(platform.assetUrl(hash)) }),
        (e) => (e.kind === 'image' ? e.image.width * e.image.height * 4 : 0),
      );
      if (entry.kind !== 'image') throw new RendererError('internal', 'asset cache holds a mask under an image key');
      return entry.image;
    },

    async getMask(hash, width, height) {
      const entry = await load(
        maskKey(hash),
        hash,
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

    async putMask(data, width, height, name, opts) {
      if (data.length !== width * height) throw new RendererError('bad-request', `Mask has ${data.length} bytes, expected ${width}×${height}`);
      // Not adopted: copy, the caller may keep painting into `data`.
      const owned = opts?.adopt && isWholeBuffer(data) ? data : (data.slice() as Uint8Array<ArrayBuffer>);
      let png: Uint8Array<ArrayBuffer>;
      let pixels: Uint8Array<ArrayBuffer>;
      let hash: string;
      try {
        ({ png, data: pixels } = await codec().encodeMask(owned, width, height));
        hash = await codec().sha256(png);
      } catch (err) {
        throw RendererError.from(err);
      }
      lru.set(maskKey(hash), { kind: 'mask', mask: { data: pixels, width, height } }, pixels.byteLength);
      uploads.add({ hash, kind: 'mask', bytes: png, ...(name === undefined ? {} : { name }), width, height });
      return { hash, kind: 'mask', mime: 'image/png', width, height, bytes: png.byteLength };
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

/** Enough for any PNG/WebP header and a JPEG's usual metadata; bigger metadata reads the whole file. */
const HEADER_BYTES = 64 * 1024;

async function readBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (err) {
    throw new RendererError('io', `The file could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

function isWholeBuffer(a: Uint8Array): a is Uint8Array<ArrayBuffer> {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
}
