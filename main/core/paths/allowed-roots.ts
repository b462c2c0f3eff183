import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';

/**
 * Which file-system locations a request from a renderer, a browser client or an agent may touch.
 * Everything is compared by real path (symlinks resolved by the OS), never by string prefix, so
 * `../` escapes, symlinks pointing out of a root and look-alike folders (`/p/projects-evil` vs
 * `/p/projects`) are refused. A not-yet-existing file is judged by the real path of its nearest
 * existing ancestor plus the remaining names.
 */
export class AllowedRoots {
  private readonly roots = new Set<string>();
  private readonly grants = new Set<string>();

  /** Allow everything inside `root` (the folder itself may be created later). */
  add(root: string): void {
    this.roots.add(resolve(root));
  }

  /** Allow exactly one file, e.g. a path the user picked in a native dialog. */
  async grantFile(path: string): Promise<void> {
    this.grants.add(await resolveReal(requireAbsolute(path, 'grant')));
  }

  list(): string[] {
    return [...this.roots];
  }

  /**
   * Returns the real path to use for the I/O (so a later symlink swap of a parent cannot redirect it
   * more than the check allowed) or throws AppError('path-denied').
   */
  async check(path: string, purpose: string): Promise<string> {
    const real = await resolveReal(requireAbsolute(path, purpose));
    if (this.grants.has(real)) return real;
    for (const root of this.roots) {
      if (isInside(await resolveReal(root), real)) return real;
    }
    const where = this.roots.size ? ` Allowed folders: ${[...this.roots].join(', ')}.` : '';
    throw new AppError('path-denied', `Cannot ${purpose} "${path}": it is outside the folders adstudio may use.${where}`);
  }
}

function requireAbsolute(path: string, purpose: string): string {
  if (!path || !isAbsolute(path) || path.includes('\0')) {
    throw new AppError('path-denied', `Cannot ${purpose} "${path}": an absolute path is required`);
  }
  return path;
}

/** True when `target` is `root` or below it (both already real paths). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * realpath(3) for existing paths; for missing ones, the real path of the nearest existing ancestor
 * joined with the missing names. Never normalises `..` lexically before the OS has resolved the
 * symlinks in front of it (`root/link/..` must mean the parent of link's target).
 */
export async function resolveReal(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new AppError('path-denied', `Cannot resolve "${path}": ${(e as Error).message}`);
  }
  // A dangling symlink would be followed by a later write to wherever it points: refuse it.
  const link = await lstat(path).catch(() => null);
  if (link?.isSymbolicLink()) throw new AppError('path-denied', `"${path}" is a symbolic link to a missing target`);
  const name = basename(path);
  const parent = dirname(path);
  if (name === '' || name === '.' || name === '..' || parent === path) {
    throw new AppError('path-denied', `Cannot resolve "${path}"`);
  }
  const realParent = await resolveReal(parent);
  return resolve(realParent, name);
}
