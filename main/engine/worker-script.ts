import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Where a worker entry lives. This module's URL tells which world we run in:
 * - from TypeScript source (vitest, tsx): main/engine/worker-script.ts → main/engine/workers/<name>.ts
 * - from an esbuild bundle (dist/main/cli.mjs, dist/main/electron-main.mjs, or a shared chunk in
 *   dist/main/chunks/) → dist/main/<name>.mjs, because scripts/build.mjs bundles every
 *   main/**\/*-worker.ts flat next to the other entries.
 */
export function workerScriptUrl(name: string, base: string = import.meta.url): URL {
  // pathname, not the href: loaders such as tsx append a query (?tsx-namespace=…) to module URLs.
  const path = new URL(base).pathname;
  if (path.endsWith('.ts')) return new URL(`./workers/${name}.ts`, base);
  return new URL(/\/chunks\/[^/]+$/.test(path) ? `../${name}.mjs` : `./${name}.mjs`, base);
}

/**
 * Starts a worker for a script URL. A .ts script is loaded through tsx's ESM API inside the worker:
 * `execArgv: ['--import', 'tsx']` does not reach a worker's module loader on Node 20, registering
 * tsx from a tiny bootstrap does.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
