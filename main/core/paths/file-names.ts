import { access } from 'node:fs/promises';
import { join } from 'node:path';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME_CHARS = 120;

/**
 * A file name (without extension) that is safe on Windows, macOS and Linux: no separators, no
 * control or reserved characters, no leading dots (hidden files) or `..`. Korean and other
 * letters are kept. Empty results become `fallback`.
 */
export function sanitizeFileName(name: string | undefined, fallback = 'untitled'): string {
  let s = (name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if ([...s].length > MAX_NAME_CHARS) s = [...s].slice(0, MAX_NAME_CHARS).join('').trim();
  if (!s || /^_+$/.test(s)) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `${s}_`;
  return s;
}

/** `dir/base.ext`, or `dir/base (2).ext`, `(3)`, … — the first that does not exist yet. */
export async function uniquePath(dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? `${base}.${ext}` : `${base} (${n}).${ext}`);
    if (!(await exists(candidate))) return candidate;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
