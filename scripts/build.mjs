#!/usr/bin/env node
// Builds everything `npm start`, the CLI and the tests run: Node bundles with esbuild, the renderer with Vite.
// Usage: node scripts/build.mjs [--node-only|--web-only]
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const started = Date.now();

/** Worker entry points are files named `*-worker.ts` anywhere under main/. */
function findWorkers(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (/-worker\.ts$/.test(name)) out.push(p);
  }
  return out;
}

async function buildNode() {
  // Entries that do not exist yet are skipped so partial trees still build.
  const apps = [join(root, 'main/cli/index.ts'), join(root, 'main/electron-main.ts')].filter((p) => existsSync(p));
  const common = {
    outdir: join(root, 'dist/main'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
    // Lets bundled ESM code use require() for CJS-only deps.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
  const outName = (p) => (p.endsWith('cli/index.ts') ? 'cli' : relative(join(root, 'main'), p).replace(/\.ts$/, '').split('/').pop());
  // The CLI and the Electron main: shared code in chunks, so the CLI loads each command (and its heavy
  // packages) only when it runs — `adstudio --version` and `serve` start in a fraction of a second.
  await build({ ...common, entryPoints: apps.map((p) => ({ in: p, out: outName(p) })), splitting: true, chunkNames: 'chunks/[name]-[hash]' });
  // Workers stay single files (flat in dist/main): a worker thread cannot load its entry, or chunks
  // beside it, from inside the packaged app's asar archive, so they are unpacked one file each.
  await build({ ...common, entryPoints: findWorkers(join(root, 'main')).map((p) => ({ in: p, out: outName(p) })) });
  // The sandboxed preload must be a single CommonJS file: only 'electron' may stay external.
  if (existsSync(join(root, 'preload/index.ts'))) await build({
    entryPoints: [join(root, 'preload/index.ts')],
    outfile: join(root, 'dist/preload/index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

async function buildWeb() {
  const { build: viteBuild } = await import('vite');
  // Always a production React build, whatever NODE_ENV the caller has.
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}

if (!args.has('--web-only')) await buildNode();
if (!args.has('--node-only')) await buildWeb();
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
