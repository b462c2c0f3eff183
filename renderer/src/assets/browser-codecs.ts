import type { MaskWorkerClient } from '../mask/mask-worker-client';
import type { DecodedMask } from '../mask/png-gray';
import { sha256Hex } from './content-hash';
import type { ImageHeader } from './image-header';
import { RendererError } from './renderer-error';

/** How the asset cache turns URLs into pixels and masks into PNGs. Injectable for tests. */
export interface AssetCodecs<TImage> {
  loadImage(url: string): Promise<TImage>;
  /** One byte per pixel (the first/R channel). */
  loadMask(url: string): Promise<DecodedMask>;
  /**
   * 8-bit grayscale PNG. May move `data` to a worker meanwhile (it is unusable until this resolves)
   * and gives the same pixels back as `data`; never modifies them.
   */
  encodeMask(data: Uint8Array<ArrayBuffer>, width: number, height: number): Promise<{ png: Uint8Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> }>;
  /** Decode a file here (its header was checked against the limits first). */
  decodeImage(file: Blob): Promise<TImage>;
  /**
   * A quick screen-resolution decode of a photo much bigger than the screen (JPEG decodes at 1/2,
   * 1/4 or 1/8 scale for a fraction of the cost), shown until the full decode lands. null = none.
   */
  decodePreview(file: Blob, header: ImageHeader): Promise<TImage | null>;
  /** The asset content hash (sha-256 hex of the bytes, as main computes it). */
  sha256(bytes: Uint8Array): Promise<string>;
}

/**
 * Browser implementations: fetch + createImageBitmap for images; masks through our PNG decoder in
 * the mask worker (masks we wrote), falling back to the browser's decoder for any other image.
 */
export function createBrowserCodecs(worker: MaskWorkerClient): AssetCodecs<ImageBitmap> {
  return {
    async loadImage(url) {
      const blob = await (await fetchOk(url)).blob();
      try {
        return await createImageBitmap(blob);
      } catch (err) {
        throw new RendererError('bad-image', `The image could not be decoded (${errorText(err)})`);
      }
    },

    async loadMask(url) {
      const bytes = new Uint8Array(await (await fetchOk(url)).arrayBuffer());
      if (!isPng(bytes)) return decodeWithBrowser(bytes); // e.g. a JPEG the user imported as a mask
      try {
        return await worker.decodePng(bytes);
      } catch (err) {
        if (err instanceof RendererError && err.code === 'unsupported') return decodeWithBrowser(bytes);
        throw err;
      }
    },

    async encodeMask(data, width, height) {
      const r = await worker.encodePngTransfer(data, width, height);
      return { png: r.png, data: r.mask };
    },

    async decodeImage(file) {
      try {
        // Same options as loadImage (EXIF orientation applied), so a local and a fetched decode match.
        return await createImageBitmap(file);
      } catch (err) {
        throw new RendererError('bad-image', `The image could not be decoded (${errorText(err)})`);
      }
    },

    async decodePreview(file, header) {
      const scale = previewScale(header.width, header.height, screenLongSide());
      if (header.mime !== 'image/jpeg' || scale === 1 || typeof ImageDecoder !== 'function') return null;
      // The decoder wants the stored (unrotated) size; it applies the EXIF orientation itself.
      const rotated = header.orientation >= 5;
      const stored = rotated ? { w: header.height, h: header.width } : { w: header.width, h: header.height };
      let decoder: ImageDecoder | null = null;
      try {
        decoder = new ImageDecoder({ data: file.stream(), type: 'image/jpeg', desiredWidth: Math.ceil(stored.w / scale), desiredHeight: Math.ceil(stored.h / scale) });
        const { image } = await decoder.decode();
        try {
          return await createImageBitmap(image);
        } finally {
          image.close();
        }
      } catch {
        return null; // only a head start: the full decode reports real problems
      } finally {
        decoder?.close();
      }
    },

    sha256: sha256Hex,
  };
}

/**
 * The largest of 8, 4, 2 that still leaves the image's long side at least `target` pixels (1 = the
 * image is not much bigger than the screen: no preview needed).
 */
export function previewScale(width: number, height: number, target: number): 1 | 2 | 4 | 8 {
  const long = Math.max(width, height);
  for (const k of [8, 4, 2] as const) if (Math.ceil(long / k) >= target) return k;
  return 1;
}

/** Device pixels along the screen's long side: a preview this big looks sharp at "fit". */
function screenLongSide(): number {
  const s = typeof screen === 'undefined' ? null : screen;
  const dpr = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
  return Math.max(1024, Math.round(Math.max(s?.width ?? 1920, s?.height ?? 1080) * dpr));
}

async function decodeWithBrowser(bytes: Uint8Array<ArrayBuffer>): Promise<DecodedMask> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (err) {
    throw new RendererError('bad-image', `The mask could not be decoded (${errorText(err)})`);
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new RendererError('internal', 'No 2D canvas available to decode the mask');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4]!;
  return { data, width, height };
}

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new RendererError('io', `Could not load ${url} (${errorText(err)})`);
  }
  if (!res.ok) throw new RendererError(res.status === 404 ? 'not-found' : res.status === 401 || res.status === 403 ? 'unauthorized' : 'io', `Could not load ${url} (HTTP ${res.status})`);
  return res;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
