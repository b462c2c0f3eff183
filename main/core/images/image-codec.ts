import sharp, { type Metadata } from 'sharp';
import { readFile, stat } from 'node:fs/promises';
import { AppError, LIMITS, type ExportFormat, type ImageMime } from '../../../preload/contract/index.js';
import type { RawImage } from './raw-image.js';

/** Everything that decodes user files goes through here, so limits and messages are the same everywhere. */

const FORMAT_TO_MIME: Record<string, ImageMime> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export interface ImageProbe {
  mime: ImageMime;
  width: number;
  height: number;
  /** Display orientation applied (EXIF): width/height are as the user sees the image. */
  bytes: number;
}

export type ImageInput = Uint8Array | string;

async function loadBytes(input: ImageInput, label: string): Promise<Uint8Array> {
  if (typeof input !== 'string') return input;
  let size: number;
  try {
    const s = await stat(input);
    if (!s.isFile()) throw new AppError('bad-image', `${label} is not a file: ${input}`);
    size = s.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('not-found', `${label} not found: ${input}`);
  }
  if (size === 0) throw new AppError('bad-image', `${label} is empty (0 bytes): ${input}`);
  if (size > LIMITS.maxFileBytes) throw new AppError('too-large', `${label} is larger than ${LIMITS.maxFileBytes / 2 ** 20} MB: ${input}`);
  return new Uint8Array(await readFile(input));
}

function sharpOf(bytes: Uint8Array) {
  // limitInputPixels makes sharp refuse decompression bombs from the header, before allocating.
  return sharp(bytes, { limitInputPixels: LIMITS.maxPixels, failOn: 'truncated' }).rotate();
}

/** Reads only the header: format, size, limits. Cheap; use before any full decode. */
export async function probeImage(input: ImageInput, label = 'image'): Promise<ImageProbe> {
  const bytes = await loadBytes(input, label);
  if (bytes.byteLength === 0) throw new AppError('bad-image', `${label} is empty (0 bytes)`);
  if (bytes.byteLength > LIMITS.maxFileBytes) throw new AppError('too-large', `${label} is larger than ${LIMITS.maxFileBytes / 2 ** 20} MB`);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('bad-image', `${label} is not a readable image (corrupt, truncated or not PNG/JPEG/WebP)`);
  }
  const mime = meta.format ? FORMAT_TO_MIME[meta.format] : undefined;
  if (!mime) throw new AppError('bad-image', `${label} has unsupported format "${meta.format ?? 'unknown'}"; use PNG, JPEG or WebP`);
  let width = meta.width ?? 0;
  let height = meta.height ?? 0;
  if ((meta.orientation ?? 1) >= 5) [width, height] = [height, width];
  if (!width || !height) throw new AppError('bad-image', `${label} has no pixels`);
  if (width * height > LIMITS.maxPixels || width > LIMITS.maxSide || height > LIMITS.maxSide) {
    throw new AppError(
      'too-large',
      `${label} is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${LIMITS.maxPixels / 1e6} MP and ${LIMITS.maxSide} px per side`,
    );
  }
  return { mime, width, height, bytes: bytes.byteLength };
}

/**
 * Full decode to raw pixels (EXIF orientation applied). Detects truncated data. `channels` 'keep':
 * RGBA when the image has an alpha channel, else RGB (a photo's transparency is kept, nothing added).
 */
export async function decodeImage(input: ImageInput, channels: 3 | 4 | 'keep' = 4, label = 'image'): Promise<RawImage> {
  const bytes = await loadBytes(input, label);
  await probeImage(bytes, label);
  if (channels === 'keep') channels = (await sharp(bytes, { limitInputPixels: false }).metadata()).hasAlpha ? 4 : 3;
  try {
    let img = sharpOf(bytes);
    img = channels === 4 ? img.ensureAlpha() : img.removeAlpha();
    const { data, info } = await img.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad-image', `${label} could not be decoded (corrupt or truncated): ${(e as Error).message}`);
  }
}

/**
 * Decode a mask: any image; luminance ≥ 128 … kept as 8-bit values (255 = fill).
 * When `expected` is given, a different size is an error rather than a silent resize.
 */
export async function decodeMask(input: ImageInput, expected?: { width: number; height: number }, label = 'mask'): Promise<RawImage> {
  const bytes = await loadBytes(input, label);
  const probe = await probeImage(bytes, label);
  if (expected && (probe.width !== expected.width || probe.height !== expected.height)) {
    throw new AppError(
      'size-mismatch',
      `${label} is ${probe.width}×${probe.height} but the image is ${expected.width}×${expected.height}; they must be the same size`,
    );
  }
  try {
    const { data, info } = await sharpOf(bytes).flatten({ background: '#000000' }).toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 1 };
  } catch (e) {
    throw new AppError('bad-image', `${label} could not be decoded: ${(e as Error).message}`);
  }
}

/** Encode raw pixels. PNG is lossless; JPEG/WebP use `quality` (default 92). */
export async function encodeImage(raw: RawImage, format: ExportFormat, quality = 92): Promise<Buffer> {
  let img = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  // 1-channel input would otherwise be written as RGB; masks stay 8-bit grayscale.
  if (raw.channels === 1) img = img.toColourspace('b-w');
  switch (format) {
    case 'png':
      return img.png({ compressionLevel: 6 }).toBuffer();
    case 'jpeg':
      return img.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' }).toBuffer();
    case 'webp':
      return img.webp({ quality, lossless: quality >= 100 }).toBuffer();
  }
}
