import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError, type ExportFormat } from '../../../preload/contract/index.js';
import { probeImage } from '../../core/images/image-codec.js';
import { formatFromPath } from '../../core/images/image-format.js';
import { writeFileAtomic } from '../../core/paths/atomic-write.js';

/**
 * The only place images become base64, and only on the wire to the nanoCocoa server (its API takes
 * and returns nothing else). The adapter's callers see files: inputs are read from paths, results
 * are written to the stage's output paths. No base64 string leaves this module's callers.
 */

/** A file as the server accepts it: PNG or JPEG base64 (other formats are converted to PNG). */
export async function fileToWireImage(path: string, what: string): Promise<string> {
  const probe = await probeImage(path, what);
  const bytes = await readFile(path);
  if (probe.mime === 'image/png' || probe.mime === 'image/jpeg') return bytes.toString('base64');
  const png = await sharp(bytes).rotate().png().toBuffer();
  return png.toString('base64');
}


/**
 * Decodes a result the server sent (PNG base64, no data: prefix — tolerated if present), checks it is
 * a real image, converts it to the format the output path asks for, and writes it atomically.
 */
export async function writeWireImage(b64: string, outPath: string, what: string): Promise<{ width: number; height: number }> {
  const data = b64.startsWith('data:') ? b64.slice(b64.indexOf(',') + 1) : b64;
  const bytes = Buffer.from(data, 'base64');
  let probe;
  try {
    probe = await probeImage(new Uint8Array(bytes), what);
  } catch (e) {
    throw new AppError('engine', `the nanoCocoa server returned a ${what} that is not a readable image (${(e as Error).message})`);
  }
  const format = formatFromPath(outPath);
  const sameFormat = (format === 'png' && probe.mime === 'image/png') || (format === 'jpeg' && probe.mime === 'image/jpeg');
  const out = sameFormat ? bytes : await convert(bytes, format);
  await writeFileAtomic(outPath, out, { mkdir: true });
  return { width: probe.width, height: probe.height };
}

async function convert(bytes: Buffer, format: ExportFormat): Promise<Buffer> {
  const img = sharp(bytes);
  if (format === 'png') return img.png().toBuffer();
  if (format === 'jpeg') return img.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
  return img.webp({ quality: 92 }).toBuffer();
}
