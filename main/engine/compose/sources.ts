import sharp from 'sharp';
import { AppError } from '../../../preload/contract/index.js';
import type { AdBackground, ImageSource, LayerTransform } from '../../../preload/contract/ad-layout.js';
import { decodeImage } from '../../core/images/image-codec.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { parseColor } from './raster/color.js';

/** Turns a layout's image source into pixels (RGBA). The editor passes one that reads its assets. */
export type ImageResolver = (source: ImageSource, label: string) => Promise<RawImage>;

export const fileResolver: ImageResolver = async (source, label) => {
  if (!('path' in source)) throw new AppError('unsupported', `${label} refers to an editor asset; pass an image resolver that can read assets`);
  return decodeImage(source.path, 4, label);
};

export interface ProductPixels {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** Solid silhouette (alpha ≥ 50 %) bounds in the image. */
  bounds: { x: number; y: number; width: number; height: number };
  /** False when every pixel is opaque: a photo, not a cut-out. */
  hasTransparency: boolean;
}

export async function loadProduct(resolve: ImageResolver, source: ImageSource, label: string): Promise<ProductPixels> {
  const raw = await resolve(source, label);
  const rgba = raw.channels === 4 ? raw.data : await toRgba(raw);
  const { width, height } = raw;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  let transparent = false;
  for (let y = 0, i = 3; y < height; y++) {
    for (let x = 0; x < width; x++, i += 4) {
      const a = rgba[i]!;
      if (a < 255) transparent = true;
      if (a < 128) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) throw new AppError('bad-image', `${label} is fully transparent: there is no product to place (cut it out again, or check the file)`);
  return { rgba, width, height, bounds: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }, hasTransparency: transparent };
}

/**
 * Shrinks a product with an area filter when it will be drawn much smaller than its pixels (the
 * compositor's bilinear sampling would alias), and returns the transform for the shrunk pixels.
 */
export async function prescale(p: ProductPixels, t: LayerTransform): Promise<{ rgba: Uint8Array; width: number; height: number; transform: LayerTransform }> {
  const s = Math.min(Math.abs(t.scaleX), Math.abs(t.scaleY));
  if (!(s < 0.75)) return { rgba: p.rgba, width: p.width, height: p.height, transform: t };
  const width = Math.max(1, Math.round(p.width * s));
  const height = Math.max(1, Math.round(p.height * s));
  const data = await sharp(p.rgba, { raw: { width: p.width, height: p.height, channels: 4 } }).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  return {
    rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width,
    height,
    transform: { ...t, scaleX: (t.scaleX * p.width) / width, scaleY: (t.scaleY * p.height) / height },
  };
}

/** An image background fitted to the canvas (RGB). */
export async function fitBackground(raw: RawImage, bg: Extract<AdBackground, { kind: 'image' }>, width: number, height: number): Promise<Uint8Array> {
  const { rgb } = parseColor(bg.color);
  const background = { r: rgb[0], g: rgb[1], b: rgb[2] };
  const fit = bg.fit === 'stretch' ? 'fill' : bg.fit;
  const data = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
    .resize(width, height, { fit, position: 'centre', background, kernel: 'lanczos3' })
    .flatten({ background })
    .removeAlpha()
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function solidBackground(hex: string, width: number, height: number): Uint8Array {
  const { rgb } = parseColor(hex);
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i += 3) out.set(rgb, i);
  return out;
}

async function toRgba(raw: RawImage): Promise<Uint8Array> {
  const data = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }).ensureAlpha().raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
