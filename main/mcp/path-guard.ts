import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute } from 'node:path';
import { AppError } from '../../preload/contract/index.js';
import { isInside, resolveReal, type AllowedRoots } from '../core/paths/allowed-roots.js';

/**
 * Every path a tool takes goes through here. Paths are absolute and must resolve (symlinks followed
 * by the OS) inside an allowed folder; an output's folder must be inside too, and is created there
 * when missing. The checked real path is what the work then uses, so a later symlink swap cannot
 * redirect it further than the check allowed.
 */
export class PathGuard {
  constructor(private readonly roots: AllowedRoots) {}

  list(): string[] {
    return this.roots.list();
  }

  private absolute(path: string, name: string): string {
    if (typeof path !== 'string' || path.trim() === '') throw new AppError('bad-request', `"${name}" needs a file path`);
    if (!isAbsolute(path)) {
      throw new AppError('path-denied', `"${name}" must be an absolute path inside an allowed folder (${this.list().join(', ')}), not "${path}"`);
    }
    return path;
  }

  /** An existing file to read. */
  async input(path: string, name: string): Promise<string> {
    const real = await this.roots.check(this.absolute(path, name), `read ${name}`);
    const s = await stat(real).catch(() => null);
    if (!s) throw new AppError('not-found', `"${name}" ${path} does not exist`);
    if (!s.isFile()) throw new AppError('bad-request', `"${name}" ${path} is not a file`);
    return real;
  }

  /** A file to write (replaced atomically by the engine); `extensions` are the formats it may have. */
  async output(path: string, name: string, extensions: readonly string[]): Promise<string> {
    const abs = this.absolute(path, name);
    const ext = extname(abs).toLowerCase();
    if (!extensions.includes(ext)) {
      throw new AppError('bad-request', `"${name}" ${path} must end in ${extensions.join(', ')} (the format follows the extension)`);
    }
    const real = await this.roots.check(abs, `write ${name}`);
    const s = await stat(real).catch(() => null);
    if (s?.isDirectory()) throw new AppError('bad-request', `"${name}" ${path} is a folder, not a file`);
    const folder = dirname(real);
    // The nearest existing ancestor was checked to be inside; create the rest, then check again (a
    // symlink planted meanwhile must not lead the write elsewhere).
    await mkdir(folder, { recursive: true }).catch((e: Error) => {
      throw new AppError('io', `cannot create the folder for "${name}" (${folder}): ${e.message}`);
    });
    const realFolder = await resolveReal(folder);
    if (!(await this.insideRealRoot(realFolder))) {
      throw new AppError('path-denied', `"${name}" ${path}: its folder resolves outside the allowed folders`);
    }
    return real;
  }

  private async insideRealRoot(real: string): Promise<boolean> {
    for (const root of this.list()) {
      const realRoot = await resolveReal(root).catch(() => null);
      if (realRoot && isInside(realRoot, real)) return true;
    }
    return false;
  }
}
