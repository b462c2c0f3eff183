// Clean source images for the erase benchmark: photos and graphics shipped in Debian packages, plus the
// project's product fixture. Each entry names the package it comes from. If a package is not installed,
// its .deb is fetched with `apt-get download` (no root needed) and unpacked into a cache folder, so the
// benchmark needs no system-wide install; `apt-get install <package>` works just as well.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
const MATE = '/usr/share/backgrounds/mate';
const DEBIAN = '/usr/share/desktop-base';

/** kind: photo | texture | graphic. Paths are where the package installs them. */
export const IMAGE_SOURCES = [
  { name: 'dune', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/Dune.jpg` },
  { name: 'meadow', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/GreenMeadow.jpg` },
  { name: 'ladybird', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/LadyBird.jpg` },
  { name: 'storm', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/Storm.jpg` },
  { name: 'wood', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/Wood.jpg` },
  { name: 'flower', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/FreshFlower.jpg` },
  { name: 'leaf', kind: 'photo', pkg: 'mate-backgrounds', path: `${MATE}/nature/Blinds.jpg` },
  { name: 'astronaut', kind: 'photo', pkg: 'python3-skimage', path: `${SKIMAGE}/astronaut.png` },
  { name: 'coffee', kind: 'photo', pkg: 'python3-skimage', path: `${SKIMAGE}/coffee.png` },
  { name: 'rocket', kind: 'photo', pkg: 'python3-skimage', path: `${SKIMAGE}/rocket.jpg` },
  { name: 'motorcycle', kind: 'photo', pkg: 'python3-skimage', path: `${SKIMAGE}/motorcycle_left.png` },
  { name: 'brick', kind: 'texture', pkg: 'python3-skimage', path: `${SKIMAGE}/brick.png` },
  { name: 'gravel', kind: 'texture', pkg: 'python3-skimage', path: `${SKIMAGE}/gravel.png` },
  { name: 'grass', kind: 'texture', pkg: 'python3-skimage', path: `${SKIMAGE}/grass.png` },
  { name: 'stripes', kind: 'graphic', pkg: 'mate-backgrounds', path: `${MATE}/desktop/Stripes.png` },
  { name: 'joy', kind: 'graphic', pkg: 'desktop-base', path: `${DEBIAN}/joy-theme/grub/grub-16x9.png` },
  { name: 'softwaves', kind: 'graphic', pkg: 'desktop-base', path: `${DEBIAN}/softwaves-theme/grub/grub-16x9.png` },
  { name: 'homeworld', kind: 'graphic', pkg: 'desktop-base', path: `${DEBIAN}/homeworld-theme/grub/grub-16x9.png` },
  { name: 'banana', kind: 'product', pkg: 'adstudio fixture', path: '/work/shared/fixtures/product-banana.png', fixture: 'product-banana.png' },
];

export const DEBIAN_PACKAGES = [...new Set(IMAGE_SOURCES.filter((s) => !s.fixture).map((s) => s.pkg))];

/**
 * Where each source file really is: the installed path, else the same path inside the package unpacked
 * into `cacheDir` (downloaded once). Fixtures are looked up in `fixturesDir`. Returns a map name → file.
 */
export function resolveSources(cacheDir, fixturesDir, log = () => {}) {
  const out = new Map();
  const unpacked = new Map();
  for (const src of IMAGE_SOURCES) {
    if (src.fixture) {
      const file = join(fixturesDir, src.fixture);
      if (!existsSync(file)) throw new Error(`fixture ${file} is missing`);
      out.set(src.name, file);
      continue;
    }
    if (existsSync(src.path)) {
      out.set(src.name, src.path);
      continue;
    }
    let root = unpacked.get(src.pkg);
    if (!root) {
      root = unpackPackage(src.pkg, cacheDir, log);
      unpacked.set(src.pkg, root);
    }
    const file = join(root, src.path);
    if (!existsSync(file)) throw new Error(`${src.path} is not in Debian package ${src.pkg}`);
    out.set(src.name, file);
  }
  return out;
}

function unpackPackage(pkg, cacheDir, log) {
  const dir = join(cacheDir, 'debs');
  const root = join(cacheDir, 'pkg', pkg);
  if (existsSync(join(root, 'usr'))) return root;
  mkdirSync(dir, { recursive: true });
  mkdirSync(root, { recursive: true });
  let deb = readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) {
    log(`  fetching Debian package ${pkg} (apt-get download)…`);
    try {
      execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`cannot get Debian package ${pkg}: install it (apt-get install ${pkg}) or run apt-get update first (${e.message})`);
    }
    deb = readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb in ${dir}`);
  }
  execFileSync('dpkg-deb', ['-x', join(dir, deb), root]);
  rmSync(join(dir, deb)); // the unpacked tree is what is kept
  return root;
}
