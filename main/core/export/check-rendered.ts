import sharp from 'sharp';
import { AppError, LIMITS, type ExportFormat } from '../../../preload/contract/index.js';
import { probeImage } from '../images/image-codec.js';

const FORMAT_LABEL: Record<ExportFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };
const MIME_FORMAT: Record<string, ExportFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

/**
 * Checks that bytes the renderer drew are what it says: a complete `format` image of exactly
 * width×height, within the limits. The renderer encodes in its own canvas, so a wrong format, size
 * or a truncated buffer here is a bug to report, never something to write to the user's disk.
 */
export async function checkRendered(bytes: Uint8Array, format: ExportFormat, width: number, height: number): Promise<void> {
  const label = 'the rendered ad';
  if (bytes.byteLength === 0) throw new AppError('bad-request', `${label} is empty (0 bytes); nothing was written`);
  if (bytes.byteLength > LIMITS.maxFileBytes) throw new AppError('too-large', `${label} is larger than ${LIMITS.maxFileBytes / 2 ** 20} MB; nothing was written`);
  let probe;
  try {
    probe = await probeImage(bytes, label);
  } catch (e) {
    // Limits keep their own code; anything unreadable is a bad request from the renderer.
    if (e instanceof AppError && e.code === 'too-large') throw e;
    throw new AppError('bad-request', `${label} is not a readable ${FORMAT_LABEL[format]} image; nothing was written`);
  }
  const actual = MIME_FORMAT[probe.mime];
  if (actual !== format) {
    throw new AppError('bad-request', `${label} is ${actual ? FORMAT_LABEL[actual] : probe.mime} but ${FORMAT_LABEL[format]} was asked for; nothing was written`);
  }
  if (probe.width !== width || probe.height !== height) {
    throw new AppError('bad-request', `${label} is ${probe.width}×${probe.height} but ${width}×${height} was asked for; nothing was written`);
  }
  // The header can be fine while the data is cut short: decode every pixel once.
  try {
    await sharp(bytes, { limitInputPixels: LIMITS.maxPixels, failOn: 'truncated' }).raw().toBuffer();
  } catch (e) {
    throw new AppError('bad-request', `${label} is a damaged ${FORMAT_LABEL[format]} file (${(e as Error).message}); nothing was written`);
  }
}
