import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import type { OcrLanguage } from './types.js';

/**
 * Where tesseract.js's files are on disk, resolved at run time from this module (the same from the
 * TypeScript source and from the esbuild bundle, which keeps node_modules external). Nothing is
 * ever fetched: Tesseract's worker reads the traineddata from these folders and requires its wasm
 * core (tesseract.js-core, next to it in node_modules) from disk.
 */
const require = createRequire(import.meta.url);

/** Data variant: LSTM-only integer weights, the one tesseract.js downloads by default for OEM 1. */
const DATA_VARIANT = '4.0.0_best_int';

function packageDir(name: string): string {
  try {
    return unpacked(dirname(require.resolve(`${name}/package.json`)));
  } catch {
    throw new AppError('engine', `the text reader needs the npm package ${name}, which is not installed (run npm install)`);
  }
}

/**
 * In a packaged Electron app, modules resolve inside app.asar, which a worker thread cannot load and
 * Tesseract's worker cannot read through; electron-builder.yml unpacks these packages next to it.
 */
export function unpacked(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  if (!path.includes(marker)) return path;
  const outside = path.replace(marker, `${sep}app.asar.unpacked${sep}`);
  return existsSync(outside) ? outside : path;
}

/** tesseract.js's own Node worker script (a worker_threads entry). */
export function tesseractWorkerPath(): string {
  const path = join(packageDir('tesseract.js'), 'src', 'worker-script', 'node', 'index.js');
  if (!existsSync(path)) throw new AppError('engine', `tesseract.js's worker script is missing (${path}); reinstall tesseract.js`);
  return path;
}

/** The folder with `<lang>.traineddata.gz` for a language from its @tesseract.js-data package. */
export function defaultDataDir(lang: OcrLanguage): string {
  return join(packageDir(`@tesseract.js-data/${lang}`), DATA_VARIANT);
}

/** The gzipped traineddata file in a folder, checked up front so a missing file gets a clear message. */
export function traineddataFile(dir: string, lang: OcrLanguage): string {
  const file = join(dir, `${lang}.traineddata.gz`);
  if (!existsSync(file)) throw new AppError('engine', `the ${LANGUAGE_NAMES[lang]} text data is missing: ${file} (reinstall @tesseract.js-data/${lang})`);
  return file;
}

const LANGUAGE_NAMES: Record<OcrLanguage, string> = { kor: 'Korean', eng: 'English' };
