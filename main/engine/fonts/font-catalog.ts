import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { unpackedPath } from './unpacked-path.js';

/**
 * The fonts text layers may use, all from npm packages (no CDN, no system font). Pretendard
 * (OFL-1.1, Korean + Latin, nine weights) ships TrueType files in
 * pretendard/dist/public/static/alternative/; those are what FreeType and fontconfig read here.
 */
export interface BundledFont {
  family: string;
  /** CSS weight 100..900. */
  weight: number;
  file: string;
}

const PRETENDARD_WEIGHTS: Record<string, number> = {
  Thin: 100,
  ExtraLight: 200,
  Light: 300,
  Regular: 400,
  Medium: 500,
  SemiBold: 600,
  Bold: 700,
  ExtraBold: 800,
  Black: 900,
};

let cached: BundledFont[] | null = null;

/** Every bundled font file (empty when the font packages are missing from this build). */
export function bundledFonts(): BundledFont[] {
  if (cached) return cached;
  const out: BundledFont[] = [];
  const dir = packageDir('pretendard', 'dist/public/static/alternative');
  if (dir) {
    for (const name of readdirSync(dir)) {
      const m = /^Pretendard-(\w+)\.ttf$/.exec(name);
      const weight = m ? PRETENDARD_WEIGHTS[m[1]!] : undefined;
      if (weight) out.push({ family: 'Pretendard', weight, file: join(dir, name) });
    }
  }
  out.sort((a, b) => a.family.localeCompare(b.family) || a.weight - b.weight);
  cached = out;
  return out;
}

/** Folders holding the bundled font files (what fontconfig is told to scan). */
export function bundledFontDirs(): string[] {
  return [...new Set(bundledFonts().map((f) => dirname(f.file)))];
}

export function fontFamilies(): string[] {
  return [...new Set(bundledFonts().map((f) => f.family))];
}

/**
 * The bundled font for a family (case-insensitive) and the nearest available weight. Unknown families
 * and a build without fonts are errors a person can act on, never a silent fallback to tofu.
 */
export function resolveFont(family: string, weight = 400): BundledFont {
  const fonts = bundledFonts();
  if (fonts.length === 0) {
    throw new AppError('not-found', 'no bundled fonts found: the "pretendard" package is missing from this installation; reinstall adstudio');
  }
  const same = fonts.filter((f) => f.family.toLowerCase() === family.trim().toLowerCase());
  if (same.length === 0) throw new AppError('not-found', `font "${family}" is not bundled; available: ${fontFamilies().join(', ')}`);
  return same.reduce((best, f) => (Math.abs(f.weight - weight) < Math.abs(best.weight - weight) ? f : best));
}

/** A folder inside an installed package, or null when the package (or folder) is not there. */
export function packageDir(pkg: string, sub: string): string | null {
  try {
    const root = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const dir = unpackedPath(join(root, sub));
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}
