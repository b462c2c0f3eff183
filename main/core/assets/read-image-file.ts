import { readFile, stat } from 'node:fs/promises';
import { AppError, LIMITS } from '../../../preload/contract/index.js';

/** Read a user-chosen image file with the same size checks the codec applies, before loading it. */
export async function readImageFile(path: string, label = 'image'): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('bad-image', `${label} is not a file: ${path}`);
    size = s.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('not-found', `${label} not found: ${path}`);
  }
  if (size === 0) throw new AppError('bad-image', `${label} is empty (0 bytes): ${path}`);
  if (size > LIMITS.maxFileBytes) throw new AppError('too-large', `${label} is larger than ${LIMITS.maxFileBytes / 2 ** 20} MB: ${path}`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new AppError('io', `Cannot read ${path}: ${(e as Error).message}`);
  }
}
