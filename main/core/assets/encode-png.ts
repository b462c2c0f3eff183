import sharp from 'sharp';
import { encodeImage } from '../images/image-codec.js';
import type { RawImage } from '../images/raw-image.js';

/**
 * Lossless PNG of raw pixels. One-channel pixels (masks) stay 8-bit grayscale: sharp would
 * otherwise write them as RGB, which triples the size and is not the documented mask format.
 */
export async function encodePng(raw: RawImage): Promise<Uint8Array> {
  if (raw.channels !== 1) return new Uint8Array(await encodeImage(raw, 'png'));
  const png = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(png);
}
