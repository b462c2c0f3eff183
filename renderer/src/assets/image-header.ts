import { LIMITS, type ImageMime } from '../../../preload/contract/limits';
import { RendererError } from './renderer-error';

/**
 * Size and format of a PNG, JPEG or WebP from its header alone, so a file can be checked against
 * LIMITS before anything decodes it (a decompression bomb is a small file with a huge header size).
 * Width and height are as displayed: EXIF orientations 5–8 swap them, as main's probe (sharp) does.
 * Answers null for anything it cannot read with certainty (unknown format, odd or damaged header):
 * then the host, which decodes with sharp, decides and explains.
 */
export interface ImageHeader {
  mime: ImageMime;
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when there is none). */
  orientation: number;
}

export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes);
    if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return readWebp(bytes);
  } catch (err) {
    // Reading past the end of a truncated header: not certain, let the host decide.
    if (err instanceof RangeError) return null;
    throw err;
  }
  return null;
}

/** Same rule and wording as main's probeImage (preload/contract LIMITS). */
export function checkImageLimits(header: Pick<ImageHeader, 'width' | 'height'>, label: string): void {
  const { width, height } = header;
  if (width * height > LIMITS.maxPixels || width > LIMITS.maxSide || height > LIMITS.maxSide) {
    throw new RendererError(
      'too-large',
      `${label} is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${LIMITS.maxPixels / 1e6} MP and ${LIMITS.maxSide} px per side`,
    );
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function readPng(b: Uint8Array): ImageHeader | null {
  const v = view(b);
  if (ascii(b, 12, 4) !== 'IHDR' || v.getUint32(8) !== 13) return null;
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  // eXIf may carry an orientation; it must come before the image data.
  let orientation = 1;
  for (let at = 33; at + 8 <= b.length; ) {
    const length = v.getUint32(at);
    const type = ascii(b, at + 4, 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'eXIf') {
      orientation = exifOrientation(b.subarray(at + 8, at + 8 + length));
      break;
    }
    at += 12 + length;
  }
  return sized('image/png', width, height, orientation);
}

/** Start-of-frame markers that carry the frame size (baseline, progressive, lossless, arithmetic). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(b: Uint8Array): ImageHeader | null {
  const v = view(b);
  let orientation: number | null = null;
  let at = 2;
  while (at < b.length) {
    if (b[at] !== 0xff) return null;
    while (b[at] === 0xff) at++; // fill bytes
    const marker = b[at]!;
    at++;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) return null; // image data before any frame header
    const length = v.getUint16(at);
    if (length < 2) return null;
    if (SOF.has(marker)) {
      const height = v.getUint16(at + 3);
      const width = v.getUint16(at + 5);
      return sized('image/jpeg', width, height, orientation ?? 1);
    }
    // The first Exif block is the one decoders honour.
    if (marker === 0xe1 && orientation === null && ascii(b, at + 2, 6) === 'Exif\0\0') {
      orientation = exifOrientation(b.subarray(at + 8, at + length));
    }
    at += length;
  }
  return null;
}

function readWebp(b: Uint8Array): ImageHeader | null {
  const v = view(b);
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return sized('image/webp', v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff, 1);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = v.getUint32(21, true);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 1);
  }
  if (chunk === 'VP8X') {
    const width = uint24le(b, 24) + 1;
    const height = uint24le(b, 27) + 1;
    let orientation = 1;
    if (b[20]! & 0x08) {
      // Flag says there is an EXIF chunk: find it among the chunks after VP8X.
      for (let at = 12 + 8 + v.getUint32(16, true); at + 8 <= b.length; ) {
        const size = v.getUint32(at + 4, true);
        if (ascii(b, at, 4) === 'EXIF') {
          let exif = b.subarray(at + 8, at + 8 + size);
          if (ascii(exif, 0, 6) === 'Exif\0\0') exif = exif.subarray(6);
          orientation = exifOrientation(exif);
          break;
        }
        at += 8 + size + (size & 1);
      }
    }
    return sized('image/webp', width, height, orientation);
  }
  return null;
}

function sized(mime: ImageMime, width: number, height: number, orientation: number): ImageHeader | null {
  if (!width || !height) return null;
  const swap = orientation >= 5 && orientation <= 8;
  return { mime, width: swap ? height : width, height: swap ? width : height, orientation };
}

/** Orientation (tag 0x0112) from a TIFF-structured EXIF block; 1 when absent or unreadable. */
export function exifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  const v = view(tiff);
  if (v.getUint16(2, little) !== 42) return 1;
  const ifd = v.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = v.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (v.getUint16(entry, little) !== 0x0112) continue;
    const value = v.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function ascii(b: Uint8Array, at: number, length: number): string {
  if (at + length > b.length) return '';
  return String.fromCharCode(...b.subarray(at, at + length));
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

function uint24le(b: Uint8Array, at: number): number {
  if (at + 3 > b.length) throw new RangeError('header truncated');
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
}
