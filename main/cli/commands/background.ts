import { extname, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { BACKGROUND_PRESETS, type BackgroundPreset } from '../../../preload/contract/ad-layout.js';
import { decodeImage, encodeImage, probeImage } from '../../core/images/image-codec.js';
import { createBackgroundEngine, extractPalette, presetDescriptions, type Backdrop, type PaletteColour } from '../../engine/background/index.js';
import { formatFromPath, parseSize } from '../../engine/compose/export-presets.js';
import { toHex } from '../../engine/compose/raster/color.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';

export const backgroundCommand: CliCommand = {
  name: 'background',
  summary: 'render a studio backdrop (sweep, table top, window light, bokeh, textures) in a product\'s colours',
  usage: 'adstudio background --size <W>x<H> [--preset <name>] [--palette-from <image>] [--seed <n>] --out <bg.png> [--candidates <n>]',
  details: [
    'Arguments:',
    '  --size <W>x<H>         e.g. 1080x1350, or square, portrait, story, landscape',
    '  --preset <name>        the backdrop (default sweep):',
    ...presetDescriptions().map((p) => `                           ${p.id.padEnd(9)} ${p.description}`),
    '  --palette-from <file>  take the colours from this image: a cut-out (its opaque pixels) or a product',
    '                         photo (its backdrop left out); without it the colours are neutral',
    '  --seed <n>             0..4294967295 (default 1): the same seed gives the same pixels',
    '  --out <file>           .png, .jpg/.jpeg or .webp',
    '  --candidates <n>       write n variants (seeds <seed>, <seed>+1, …; without --preset, one preset after another)',
    '                         as <out>-1.png, <out>-2.png, … instead of <out>',
    '',
    'Example:',
    '  adstudio background --size 1080x1350 --preset tabletop --palette-from banana-cut.png --seed 7 --out bg.png',
  ].join('\n'),
  options: {
    size: { type: 'string' },
    preset: { type: 'string' },
    'palette-from': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    candidates: { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]!}`, 'background');
    if (typeof values.size !== 'string' || values.size === '') throw new UsageError('missing --size <W>x<H>', 'background');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out <bg.png>', 'background');
    const { width, height } = sizeArg(values.size, 'background');
    const preset = typeof values.preset === 'string' ? values.preset : undefined;
    if (preset !== undefined && !BACKGROUND_PRESETS.includes(preset as BackgroundPreset)) {
      throw new AppError('bad-request', `unknown preset "${preset}"; available: ${BACKGROUND_PRESETS.join(', ')}`);
    }
    const seed = parseWhole(values.seed, 'seed', 0, 0xffffffff) ?? 1;
    const count = parseWhole(values.candidates, 'candidates', 1, 32);
    const outPath = resolve(io.cwd, values.out);
    const format = formatFromPath(outPath);
    const targets = count === undefined ? [outPath] : Array.from({ length: count }, (_, i) => numbered(outPath, i + 1));
    for (const t of targets) await assertWritableTarget(t);

    const started = Date.now();
    let palette: PaletteColour[] = [];
    if (typeof values['palette-from'] === 'string') {
      const from = resolve(io.cwd, values['palette-from']);
      await probeImage(from, 'palette image');
      const img = await decodeImage(from, 'keep', 'palette image');
      palette = extractPalette(img.data, img.width, img.height, img.channels as 3 | 4);
      if (palette.length === 0) io.stderr.write('adstudio: note: no product colours found in the palette image; using neutral colours\n');
    }
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');

    const engine = createBackgroundEngine();
    const progress = createProgress(io.stderr, 'rendering backgrounds');
    let backdrops: Backdrop[];
    try {
      const request = { width, height, seed, palette, signal, onProgress: (p: number) => progress.update(p), ...(preset ? { preset: preset as BackgroundPreset } : {}) };
      backdrops = count === undefined ? [await engine.render(request)] : await engine.candidates(count, request);
    } finally {
      progress.done();
      await engine.close();
    }
    const encoded = await Promise.all(backdrops.map((b) => encodeImage({ data: b.rgb, width, height, channels: 3 }, format)));
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    for (const [i, t] of targets.entries()) await writeFileAtomic(t, encoded[i]!);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const [i, b] of backdrops.entries()) {
      io.stderr.write(
        `adstudio: wrote ${count === undefined ? values.out : targets[i]} (${width}×${height}, background:${b.preset}, seed ${b.seed}, ${b.harmony} ${toHex(b.base)}${b.horizonY !== null ? `, horizon at y=${b.horizonY}` : ''})\n`,
      );
    }
    io.stderr.write(`adstudio: ${backdrops.length} background${backdrops.length > 1 ? 's' : ''} in ${seconds} s\n`);
    return 0;
  },
};

/** --size as typed: a malformed value is a usage error (exit 2); a size over the limits is an input error. */
export function sizeArg(text: string, command: string): { width: number; height: number } {
  try {
    return parseSize(text);
  } catch (e) {
    if (e instanceof AppError && e.code === 'bad-request') throw new UsageError(`--size: ${e.message}`, command);
    throw e;
  }
}

function parseWhole(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) throw new UsageError(`--${name} needs a whole number, not "${String(v)}"`, 'background');
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name} must be ${min} to ${max}, not ${n}`, 'background');
  return n;
}

function numbered(path: string, i: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${i}${ext}`;
}
