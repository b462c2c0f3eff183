import sharp from 'sharp';
import { AppError, LIMITS } from '../../../preload/contract/index.js';
import type { RawImage } from '../images/raw-image.js';

export const FULLY_TRANSPARENT_MESSAGE =
  'The cut-out came out fully transparent: nothing of the product was kept. Use a photo where the product stands out clearly from its background';

/**
 * Checks a finished cut-out before it becomes an asset, whoever made it (the in-process engine or
 * a scheduler's engine): the photo's size, real transparency, and not fully transparent. Pixel
 * statistics run in libvips' threads, not on the event loop.
 */
export async function checkCutout(image: RawImage | Uint8Array, expected: { width: number; height: number }, madeBy: string): Promise<void> {
  const img = image instanceof Uint8Array ? sharp(image, { limitInputPixels: LIMITS.maxPixels }) : sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  let meta;
  let stats;
  try {
    meta = await img.metadata();
    stats = await img.stats();
  } catch (e) {
    throw new AppError('engine', `The cut-out from ${madeBy} could not be read: ${(e as Error).message}`);
  }
  const width = image instanceof Uint8Array ? meta.width : image.width;
  const height = image instanceof Uint8Array ? meta.height : image.height;
  if (width !== expected.width || height !== expected.height) {
    throw new AppError('engine', `The cut-out from ${madeBy} is ${width}×${height}, not the photo's ${expected.width}×${expected.height}`);
  }
  const channels = image instanceof Uint8Array ? meta.channels : image.channels;
  const alpha = channels === 4 || channels === 2 ? stats.channels[channels - 1] : undefined;
  if (!alpha || alpha.min === 255) throw new AppError('engine', `${madeBy} returned the photo without any transparency: nothing was cut out`);
  if (alpha.max === 0) throw new AppError('bad-image', FULLY_TRANSPARENT_MESSAGE);
}
