import type { MaskWorkerClient } from '../mask/mask-worker-client';
import type { DecodedMask } from '../mask/png-gray';
import { RendererError } from './renderer-error';

/** How the asset cache turns URLs into pixels and masks into PNGs. Injectable for tests. */
export interface AssetCodecs<TImage> {
  loadImage(url: string): Promise<TImage>;
  /** One byte per pixel (the first/R channel). */
  loadMask(url: string): Promise<DecodedMask>;
  /** 8-bit grayscale PNG. Must not detach or modify `data`. */
  encodeMask(data: Uint8Array, width: number, height: number): Promise<Uint8Array<ArrayBuffer>>;
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

    encodeMask: (data, width, height) => worker.encodePng(data, width, height),
  };
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
