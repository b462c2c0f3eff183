import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the running code lives. Bundled code is dist/main/<entry>.mjs or, for code shared between
 * entries, dist/main/chunks/<chunk>.mjs (scripts/build.mjs): both count as the bundle folder dist/main.
 * From TypeScript sources (vitest, tsx) there is no bundle folder.
 */
export function bundleDirOf(moduleUrl: string): string | null {
  const self = fileURLToPath(moduleUrl);
  if (!self.endsWith('.mjs')) return null;
  const dir = dirname(self);
  return basename(dir) === 'chunks' ? dirname(dir) : dir;
}

/** The folder holding adstudio's package.json, searched upwards from the module; null when not found. */
export function packageRootOf(moduleUrl: string): string | null {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const pkg = join(dir, 'package.json');
    try {
      if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'adstudio') return dir;
    } catch {
      // unreadable: keep looking
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
