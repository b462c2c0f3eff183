import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRootOf } from '../core/paths/package-location.js';

/** The version in package.json, read at run time (from sources, the bundle and its chunks alike). */
export function packageVersion(): string {
  const root = packageRootOf(import.meta.url);
  if (!root) return '0.0.0';
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
