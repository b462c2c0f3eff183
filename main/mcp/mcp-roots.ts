import { stat } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { AppError } from '../../preload/contract/index.js';
import { AllowedRoots } from '../core/paths/allowed-roots.js';

/** The environment variable agents' launchers set: a path list (":" on Unix, ";" on Windows). */
export const ALLOWED_ROOTS_ENV = 'ADSTUDIO_ALLOWED_ROOTS';

/**
 * The folders MCP tools may read and write: every `--allow <dir>` plus $ADSTUDIO_ALLOWED_ROOTS.
 * Each must be an existing folder (a typo must not silently allow nothing, or something else).
 * Checks are the app's own (main/core/paths/allowed-roots.ts): real paths, symlinks resolved.
 */
export async function allowedRootsFrom(flags: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<AllowedRoots> {
  const fromEnv = (env[ALLOWED_ROOTS_ENV] ?? '').split(delimiter).filter((p) => p.trim() !== '');
  const given = [...flags, ...fromEnv];
  if (given.length === 0) {
    throw new AppError('bad-request', `adstudio mcp needs at least one folder its tools may use: pass --allow <dir> (repeatable) or set ${ALLOWED_ROOTS_ENV}`);
  }
  const roots = new AllowedRoots();
  for (const p of given) {
    const dir = resolve(cwd, p);
    const s = await stat(dir).catch(() => null);
    if (!s) throw new AppError('not-found', `allowed folder ${dir} does not exist; create it or fix the path`);
    if (!s.isDirectory()) throw new AppError('bad-request', `allowed folder ${dir} is a file, not a folder`);
    roots.add(dir);
  }
  return roots;
}
