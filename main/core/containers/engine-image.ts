import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { ContainerError } from './container-errors.js';
import type { TarEntry } from './tar-pack.js';

/** Labels every image and container adstudio makes carries; tests and cleanup filter on them. */
export const LABELS = {
  managed: 'org.adstudio.managed',
  profile: 'org.adstudio.profile',
  sourceHash: 'org.adstudio.source-hash',
  baseImage: 'org.adstudio.base-image',
  version: 'org.adstudio.version',
  network: 'org.adstudio.network',
  hostPort: 'org.adstudio.host-port',
  /** What the container was created from (image, command, env, binds, ports, GPU): a changed profile recreates a stopped one. */
  spec: 'org.adstudio.spec-hash',
} as const;

export interface EngineContextOptions {
  /** The folder holding adstudio's package.json, package-lock.json, Dockerfile and node_modules. */
  packageRoot: string;
  /** Where the bundles are (default <packageRoot>/dist/main); tests point at a private build. */
  distDir?: string;
  /** The daemon's architecture ("x86_64", "aarch64"): keeps only matching native binaries. */
  architecture: string;
  platform?: NodeJS.Platform;
}

export interface EngineContext {
  /** The files to send; computed on first call (walking node_modules takes a moment). */
  entries(): TarEntry[];
  /** Changes when anything that goes into the image changes (bundles, lock file, Dockerfile, base). */
  sourceHash(baseImage: string): string;
}

/**
 * The build context for the adstudio-engine image: the Dockerfile, package.json, the Node bundles and
 * the production dependencies only (from package-lock.json), with other platforms' native binaries
 * left out. About a quarter of node_modules, so builds stay quick.
 */
export function engineBuildContext(o: EngineContextOptions): EngineContext {
  const platform = o.platform ?? process.platform;
  if (platform !== 'linux') {
    throw new ContainerError(
      'build-failed',
      `Building the adstudio engine image needs a Linux machine (it reuses this machine's node_modules, and ${platform} native modules do not run in a Linux container).`,
      'Build the image on Linux (docker build -t adstudio-engine:<version> .) and load it here, or use the embedded engine.',
      true,
    );
  }
  const root = o.packageRoot;
  const distDir = o.distDir ?? join(root, 'dist', 'main');
  const cli = join(distDir, 'cli.mjs');
  if (!existsSync(cli)) {
    throw new ContainerError('build-failed', `The engine image needs the built CLI (${cli} is missing).`, 'Run "npm run build" (or node scripts/build.mjs --node-only) first.');
  }
  for (const f of ['Dockerfile', 'package.json', 'package-lock.json']) {
    if (!existsSync(join(root, f))) throw new AppError('not-found', `The engine image needs ${join(root, f)}, which is missing.`);
  }
  const arch = nodeArch(o.architecture);
  if (arch !== process.arch) {
    throw new ContainerError(
      'build-failed',
      `The Docker daemon runs ${o.architecture} but this machine's node_modules are ${process.arch}: the image would not run.`,
      'Build the engine image on a machine of the same architecture as the Docker host.',
      true,
    );
  }
  const distFiles = readdirSync(distDir)
    .filter((n) => n.endsWith('.mjs') && n !== 'electron-main.mjs')
    .sort();
  const listEntries = (): TarEntry[] => {
    const entries: TarEntry[] = [
      { archivePath: 'Dockerfile', source: join(root, 'Dockerfile') },
      { archivePath: 'package.json', source: join(root, 'package.json') },
    ];
    for (const n of distFiles) entries.push({ archivePath: `dist/main/${n}`, source: join(distDir, n) });
    for (const dir of productionPackages(root)) {
      for (const file of walk(join(root, dir))) {
        const rel = relative(root, file).split(sep).join('/');
        if (keepFile(rel, arch)) entries.push({ archivePath: rel, source: file });
      }
    }
    return entries;
  };
  return {
    entries: listEntries,
    sourceHash(baseImage) {
      const h = createHash('sha256');
      h.update(`base=${baseImage}\narch=${arch}\n`);
      for (const f of ['Dockerfile', 'package.json', 'package-lock.json']) h.update(readFileSync(join(root, f)));
      for (const n of distFiles) h.update(n).update(readFileSync(join(distDir, n)));
      return h.digest('hex').slice(0, 32);
    },
  };
}

/** node_modules/<pkg> folders npm would install with --omit=dev, that exist on disk. */
export function productionPackages(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { dev?: boolean }> };
  const out: string[] = [];
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    if (!path.startsWith('node_modules/') || meta.dev) continue;
    // Type-only packages are never loaded at run time.
    if (/(^|\/)node_modules\/@types\//.test(path)) continue;
    // Nested packages are walked with their parent; optional ones for other platforms are absent.
    if (out.some((p) => path.startsWith(`${p}/`))) continue;
    if (existsSync(join(root, path))) out.push(path);
  }
  return out.sort();
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) yield* walk(p);
    else if (s.isFile()) yield p;
  }
}

/** Drops what never runs in the container: type declarations, source maps, docs, other platforms' binaries. */
function keepFile(rel: string, arch: string): boolean {
  if (/\.(d\.ts|d\.mts|d\.cts|map|md|markdown)$/i.test(rel) && !/license/i.test(rel)) return false;
  if (rel.includes('/.bin/')) return false;
  // onnxruntime-node ships every platform: bin/napi-v*/<platform>/<arch>/...
  const ort = /\/onnxruntime-node\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(rel);
  if (ort && (ort[1] !== 'linux' || ort[2] !== arch)) return false;
  return true;
}

/** Docker's architecture names → Node's. */
export function nodeArch(dockerArch: string): string {
  switch (dockerArch) {
    case 'x86_64':
    case 'amd64':
      return 'x64';
    case 'aarch64':
    case 'arm64':
      return 'arm64';
    default:
      return dockerArch;
  }
}
