import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../preload/contract/index.js';

export const DOWNLOADS_PREFIX = '/downloads/';

/**
 * ServicesOptions.downloadUrl for browser mode: a file written into `exportsDir` is offered as
 * `/downloads/<name>` (relative, so it works whatever host/port the page was opened on).
 */
export function downloadUrlFor(exportsDir: string): (absolutePath: string) => string {
  const root = resolve(exportsDir);
  return (absolutePath) => {
    const file = resolve(absolutePath);
    if (dirname(file) !== root) {
      throw new AppError('path-denied', `Only files directly inside the exports folder (${root}) can be downloaded; got ${file}.`);
    }
    return DOWNLOADS_PREFIX + encodeURIComponent(basename(file));
  };
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (Korean file names survive). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // RFC 5987 attr-chars exclude ' ( ) * which encodeURIComponent leaves alone.
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
