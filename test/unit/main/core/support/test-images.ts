import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../../../support/fixtures.js';

export const FIXTURES = FIXTURES_DIR;
export const fixture = (name: string) => join(FIXTURES, name);

/** An RGBA test image with a gradient and a few semi-transparent pixels, encoded as `format`. */
export async function gradientImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png', alpha = false): Promise<Uint8Array<ArrayBuffer>> {
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = (x + y) % 256;
      if (alpha) data[i + 3] = (x * 7 + y * 3) % 256;
    }
  }
  const img = sharp(data, { raw: { width, height, channels } });
  const out = format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg({ quality: 90 }) : img.webp({ quality: 90 });
  return new Uint8Array(await out.toBuffer());
}

/** An 8-bit grayscale mask PNG: 255 inside the rectangle, 0 elsewhere. */
export async function rectMask(width: number, height: number, rect: { x: number; y: number; w: number; h: number }): Promise<Uint8Array<ArrayBuffer>> {
  const data = Buffer.alloc(width * height);
  for (let y = rect.y; y < rect.y + rect.h; y++) data.fill(255, y * width + rect.x, y * width + rect.x + rect.w);
  return new Uint8Array(await sharp(data, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

export async function rawRgba(bytes: Uint8Array | string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header claims `width`×`height` RGBA
 * pixels (30000² × 4 = 3.6 GB when decoded). Rows are zero and compress to almost nothing.
 */
export function bombPng(width = 30_000, height = 30_000): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  // A few rows of real (zero) data; the rest is "missing" — a decoder that trusts the header
  // would allocate the whole canvas before noticing.
  const rows = Buffer.alloc((width * 4 + 1) * 4);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(rows, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
