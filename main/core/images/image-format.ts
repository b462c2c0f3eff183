import { extname } from 'node:path';
import { AppError, type ExportFormat } from '../../../preload/contract/index.js';

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/**
 * The image format a file name asks for (.png, .jpg/.jpeg, .webp); anything else is a clear
 * 'bad-request' naming the file as the user gave it (`shown`) and what it is (`what`, e.g. "output").
 */
export function formatFromPath(path: string, shown = path, what = 'image'): ExportFormat {
  const f = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (!f) throw new AppError('bad-request', `cannot tell the ${what} format from "${shown}": use a .png, .jpg, .jpeg or .webp file name`);
  return f;
}
