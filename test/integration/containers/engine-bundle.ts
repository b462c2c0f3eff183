import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const repoRoot = new URL('../../../', import.meta.url).pathname;

function findWorkers(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (/-worker\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * Bundles the CLI (and the worker entries) from the current sources into a private folder, the way
 * scripts/build.mjs does, so the engine image holds exactly this tree's `adstudio serve` — without
 * rewriting the shared dist/ that other test runs may be reading.
 */
export async function buildEngineBundles(outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const entries = [join(repoRoot, 'main/cli/index.ts'), ...findWorkers(join(repoRoot, 'main'))].filter((p) => existsSync(p));
  await build({
    entryPoints: entries.map((p) => ({ in: p, out: p.endsWith('cli/index.ts') ? 'cli' : p.split('/').pop()!.replace(/\.ts$/, '') })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outDir;
}
