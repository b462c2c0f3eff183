import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The seed system's real images (../shared/fixtures beside the repository). ADSTUDIO_FIXTURES
 * overrides it; /work/shared/fixtures is the build machines' layout.
 */
function findFixtures(): string {
  const candidates = [
    process.env.ADSTUDIO_FIXTURES,
    fileURLToPath(new URL('../../../shared/fixtures', import.meta.url)),
    '/work/shared/fixtures',
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(join(p, 'product-banana.png')));
  if (!found) throw new Error(`test fixtures not found (looked in ${candidates.join(', ')}); set ADSTUDIO_FIXTURES`);
  return found;
}

export const FIXTURES_DIR = findFixtures();
export const fixture = (name: string): string => join(FIXTURES_DIR, name);
