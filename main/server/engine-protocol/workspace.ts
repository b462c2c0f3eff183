import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { isInside, resolveReal } from '../../core/paths/allowed-roots.js';

/** The server's own records live here, inside the workspace but out of clients' reach. */
export const RECORDS_DIR = '.adstudio';

/**
 * The one folder the engine server reads inputs from and writes outputs to (bind-mounted when the
 * server runs in a container). Clients name files relative to it (or absolute inside it); anything
 * that resolves outside — `..`, an absolute path elsewhere, a symlink pointing out — is path-denied.
 * Paths go back to clients relative to the root, so a host that mounted the folder elsewhere can map
 * them to its own side.
 */
export class Workspace {
  private constructor(
    /** As given (absolute). */
    readonly root: string,
    /** The root with symlinks resolved: every check compares against this. */
    readonly realRoot: string,
  ) {}

  static async open(root: string): Promise<Workspace> {
    const absolute = resolve(root);
    try {
      await mkdir(join(absolute, RECORDS_DIR, 'runs'), { recursive: true });
    } catch (e) {
      throw new AppError('io', `cannot use the workspace folder ${absolute}: ${(e as Error).message}`);
    }
    return new Workspace(absolute, await realpath(absolute));
  }

  get recordsDir(): string {
    return join(this.realRoot, RECORDS_DIR);
  }

  /** Real absolute path of a client path, or AppError('path-denied'). */
  async resolve(path: string, what: string): Promise<string> {
    if (typeof path !== 'string' || path === '' || path.includes('\0')) {
      throw new AppError('path-denied', `${what}: a file path inside the workspace is required`);
    }
    // Joined as text, not path.resolve(): "link/../x" must mean what the OS makes of it (the parent of
    // the link's target), which resolveReal asks the OS; lexical normalisation would hide that.
    const real = await resolveReal(isAbsolute(path) ? path : `${this.realRoot}${sep}${path}`);
    if (!isInside(this.realRoot, real)) {
      throw new AppError('path-denied', `${what} "${path}" is outside the engine's workspace (${this.root}); use a path inside it`);
    }
    if (isInside(join(this.realRoot, RECORDS_DIR), real)) {
      throw new AppError('path-denied', `${what} "${path}" is inside ${RECORDS_DIR}/, which holds the server's own records`);
    }
    return real;
  }

  /** An existing file to read. */
  async input(path: string, what: string): Promise<string> {
    const real = await this.resolve(path, what);
    const s = await stat(real).catch(() => null);
    if (!s) throw new AppError('not-found', `${what} "${path}" does not exist in the workspace`);
    if (!s.isFile()) throw new AppError('bad-request', `${what} "${path}" is not a file`);
    return real;
  }

  /** A file to write; its folder is created (inside the root) when missing. */
  async output(path: string, what: string): Promise<string> {
    const real = await this.resolve(path, what);
    if (real === this.realRoot) throw new AppError('path-denied', `${what} "${path}" is the workspace folder itself, not a file`);
    const s = await stat(real).catch(() => null);
    if (s?.isDirectory()) throw new AppError('bad-request', `${what} "${path}" is a folder, not a file`);
    await mkdir(dirname(real), { recursive: true });
    return real;
  }

  /** What a client sees: the path relative to the root, with "/" separators. */
  toClient(absolute: string): string {
    const rel = relative(this.realRoot, absolute);
    if (rel === '' || isAbsolute(rel) || rel.startsWith('..')) {
      // Not inside (an engine reported something unexpected): say it as it is rather than guess.
      const relToRoot = relative(this.root, absolute);
      if (relToRoot !== '' && !isAbsolute(relToRoot) && !relToRoot.startsWith('..')) return relToRoot.split(sep).join('/');
      return absolute;
    }
    return rel.split(sep).join('/');
  }
}
