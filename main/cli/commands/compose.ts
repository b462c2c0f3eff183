import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import type { AdLayoutInput } from '../../../preload/contract/ad-layout.js';
import { encodeImage } from '../../core/images/image-codec.js';
import { createComposer, formatFromPath } from '../../engine/compose/index.js';
import { layoutFromOptions } from '../../engine/compose/layout-from-options.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';
import { sizeArg } from './background.js';

export const composeCommand: CliCommand = {
  name: 'compose',
  summary: 'put product cut-outs on a background with shadows, tone match and Korean/Latin ad copy',
  usage: 'adstudio compose --background <bg.png> --product <cutout.png> [--product ...] [--text "<copy>"] [--font <name>] [--size <W>x<H>] --out <ad.png>',
  details: [
    'Arguments:',
    '  --background <file>   the background image (cover-fitted to --size)',
    '  --product <file>      a cut-out (RGBA); repeat for several products, first = largest, drawn first',
    '  --text "<copy>"       ad copy; the first is the headline, more --text lines go under it smaller;',
    '                        "\\n" in the copy starts a new line',
    '  --font <name>         a bundled font (default Pretendard: Korean + Latin, weights 100–900)',
    '  --size <W>x<H>        the ad size: 1080x1080, 1080x1350, 1080x1920, 1200x628, any WxH, or',
    '                        square, portrait, story, landscape (default: the background\'s size)',
    '  --out <file>          .png, .jpg/.jpeg or .webp, full resolution',
    '',
    'On by default, each with a switch to turn it off:',
    '  --no-auto-place       products centred instead of placed on the background\'s ground line',
    '                        (free space, horizon and the rule of thirds decide)',
    '  --no-shadow           no contact or drop shadow under the products',
    '  --no-tone-match       keep the products\' colours as shot (no match to the background light)',
    '  --no-light-wrap       no background light spilling over the products\' edges',
    '',
    'More:',
    '  --weight <100..900>   headline weight (default 800)',
    '  --text-size <px>      headline size (default: as large as fits in three lines)',
    '  --text-color <#hex>   copy colour (default: dark or white by the background\'s brightness)',
    '  --tone-strength <0..1>  how far colours move toward the background (default 0.2)',
    '  --quality <1..100>    JPEG/WebP quality (default 92)',
    '  --layout <file.json>  render an ad layout (the editor\'s JSON: canvas, background, layers) instead',
    '                        of the options above; relative paths in it are relative to the file',
    '  --save-layout <file>  also write the layout as drawn (every position filled in), to edit later',
    '',
    'Example:',
    '  adstudio compose --background bg.png --product banana-cut.png --text "달콤한 바나나" \\',
    '    --text "오늘만 2만 5천원" --size 1080x1350 --out ad.png',
  ].join('\n'),
  options: {
    background: { type: 'string' },
    product: { type: 'string', multiple: true },
    text: { type: 'string', multiple: true },
    font: { type: 'string' },
    size: { type: 'string' },
    out: { type: 'string' },
    'no-shadow': { type: 'boolean' },
    'no-tone-match': { type: 'boolean' },
    'no-auto-place': { type: 'boolean' },
    'no-light-wrap': { type: 'boolean' },
    weight: { type: 'string' },
    'text-size': { type: 'string' },
    'text-color': { type: 'string' },
    'tone-strength': { type: 'string' },
    quality: { type: 'string' },
    layout: { type: 'string' },
    'save-layout': { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]!}`, 'compose');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out <ad.png>', 'compose');
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const list = (k: string) => (Array.isArray(values[k]) ? (values[k] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
    const layoutPath = str('layout');
    const products = list('product');
    if (!layoutPath) {
      if (!str('background')) throw new UsageError('missing --background <bg.png>', 'compose');
      if (products.length === 0) throw new UsageError('missing --product <cutout.png>', 'compose');
    }
    const size = str('size');
    if (size !== undefined) sizeArg(size, 'compose');
    const quality = number(str('quality'), 'quality', 1, 100, true);
    const outPath = resolve(io.cwd, values.out);
    const format = formatFromPath(outPath);
    const savePath = str('save-layout') ? resolve(io.cwd, str('save-layout')!) : undefined;
    await assertWritableTarget(outPath);
    if (savePath) await assertWritableTarget(savePath, 'layout');

    const started = Date.now();
    let layout: AdLayoutInput;
    if (layoutPath) {
      layout = await readLayout(resolve(io.cwd, layoutPath));
      if (size !== undefined) layout = { ...layout, canvas: sizeArg(size, 'compose') };
    } else {
      const textColor = str('text-color');
      if (textColor !== undefined && !/^#[0-9a-f]{6}$/i.test(textColor)) throw new UsageError(`--text-color needs a colour like #1a2b3c, not "${textColor}"`, 'compose');
      const weight = number(str('weight'), 'weight', 100, 900, true);
      const textSize = number(str('text-size'), 'text-size', 4, 2000, false);
      const toneStrength = number(str('tone-strength'), 'tone-strength', 0, 1, false);
      layout = await layoutFromOptions({
        background: resolve(io.cwd, str('background')!),
        products: products.map((p) => resolve(io.cwd, p)),
        texts: list('text').map((t) => t.replace(/\\n/g, '\n')),
        ...(str('font') ? { font: str('font')! } : {}),
        ...(size !== undefined ? { size } : {}),
        shadow: values['no-shadow'] !== true,
        toneMatch: values['no-tone-match'] !== true,
        autoPlace: values['no-auto-place'] !== true,
        lightWrap: values['no-light-wrap'] !== true,
        ...(weight !== undefined ? { weight } : {}),
        ...(textSize !== undefined ? { textSize } : {}),
        ...(textColor !== undefined ? { textColor } : {}),
        ...(toneStrength !== undefined ? { toneStrength } : {}),
      });
    }
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');

    const composer = createComposer();
    const progress = createProgress(io.stderr, 'composing');
    let result;
    try {
      result = await composer.compose({ layout, signal, onProgress: (p) => progress.update(p) });
    } finally {
      progress.done();
      await composer.close();
    }
    for (const w of result.warnings) io.stderr.write(`adstudio: warning: ${w}\n`);
    const encoded = await encodeImage(result.image, format, quality ?? result.layout.export.quality);
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    await writeFileAtomic(outPath, encoded);
    if (savePath) await writeFileAtomic(savePath, new TextEncoder().encode(`${JSON.stringify(result.layout, null, 2)}\n`), 'layout');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const where = result.placed.map((p) => `${p.id} at ${Math.round(p.bounds.x)},${Math.round(p.bounds.y)} ${Math.round(p.bounds.width)}×${Math.round(p.bounds.height)}`).join('; ');
    io.stderr.write(`adstudio: wrote ${values.out} (${result.image.width}×${result.image.height}, ground line y=${result.groundY}${where ? `, ${where}` : ''}, ${seconds} s)\n`);
    return 0;
  },
};

function number(v: string | undefined, name: string, min: number, max: number, whole: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) throw new UsageError(`--${name} needs a ${whole ? 'whole ' : ''}number, not "${v}"`, 'compose');
  if (n < min || n > max) throw new UsageError(`--${name} must be ${min} to ${max}, not ${n}`, 'compose');
  return n;
}

/** A layout file; its relative image paths are taken relative to the file. */
async function readLayout(file: string): Promise<AdLayoutInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError('not-found', `layout file not found: ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError('bad-request', `layout file ${file} is not JSON: ${(e as Error).message}`);
  }
  const base = dirname(file);
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(o)) out[k] = k === 'path' && typeof val === 'string' && !isAbsolute(val) ? resolve(base, val) : fix(val);
      return out;
    }
    return v;
  };
  return fix(json) as AdLayoutInput;
}
