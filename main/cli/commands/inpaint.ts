import { resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { decodeImage, decodeMask, encodeImage, probeImage } from '../../core/images/image-codec.js';
import { formatFromPath } from '../../core/images/image-format.js';
import { formatBytes, openModelStore, type ModelStatus } from '../../core/models/index.js';
import { createEmbeddedInpaintEngine, LAMA_METHOD_ID } from '../../engine/embedded-inpaint-engine.js';
import { DEFAULT_METHOD_ID, FILL_METHODS, methodIds } from '../../engine/inpaint/methods.js';
import { deviceFromEnv } from '../../engine/lama/lama-options.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError, type CliIo } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';

export const inpaintCommand: CliCommand = {
  name: 'inpaint',
  summary: 'fill the masked area of an image (erase text, objects) and write the result',
  usage: 'adstudio inpaint <image> --mask <mask.png> --out <out.png> [--method <name>]',
  details: [
    'Arguments:',
    '  <image>            PNG, JPEG or WebP to erase from',
    '  --mask <file>      8-bit mask, same size as the image; white (255) = fill, black = keep',
    '  --out <file>       result; the format follows the extension: .png, .jpg/.jpeg, .webp',
    `  --method <name>    inpainting method: ${[...methodIds(), LAMA_METHOD_ID].join(', ')} (default ${DEFAULT_METHOD_ID})`,
    '                     lama runs the LaMa network (CPU; ADSTUDIO_LAMA_DEVICE=cuda or auto on a GPU) and needs',
    '                     its model once: adstudio models download lama (208 MB)',
    '',
    'Pixels outside the mask are copied unchanged. Ctrl+C cancels; the output file is only',
    'written once the result is complete.',
    '',
    'Example:',
    '  adstudio inpaint ad.png --mask ad-text.png --out ad-clean.png',
  ].join('\n'),
  options: {
    mask: { type: 'string' },
    out: { type: 'string' },
    method: { type: 'string' },
  },
  helpStatus: methodsStatus,

  async run({ positionals, values, io, signal }) {
    if (positionals.length === 0) throw new UsageError('missing <image>', 'inpaint');
    if (positionals.length > 1) throw new UsageError(`expected one image, got ${positionals.length}: ${positionals.join(' ')}`, 'inpaint');
    if (typeof values.mask !== 'string' || values.mask === '') throw new UsageError('missing --mask <mask.png>', 'inpaint');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out <out.png>', 'inpaint');
    const method = typeof values.method === 'string' ? values.method : undefined;
    const imagePath = resolve(io.cwd, positionals[0]!);
    const maskPath = resolve(io.cwd, values.mask);
    const outPath = resolve(io.cwd, values.out);

    // Cheap checks first, so a mistake costs no decoding time.
    const format = formatFromPath(outPath, values.out, 'output');
    const known = [...methodIds(), LAMA_METHOD_ID];
    if (method !== undefined && !known.includes(method)) {
      throw new AppError('bad-request', `unknown method "${method}"; available: ${known.join(', ')}`);
    }
    // One model store for the whole run (the folder and hub come from this command's environment);
    // a missing model is reported before any image is decoded.
    const models = method === LAMA_METHOD_ID ? openModelStore({ env: io.env }) : null;
    const device = models ? deviceFromEnv(io.env) : 'cpu';
    if (models) await models.requireInstalled(LAMA_METHOD_ID, { signal });
    await assertWritableTarget(outPath);

    const started = Date.now();
    const probe = await probeImage(imagePath, 'image');
    const image = await decodeImage(imagePath, 'keep', 'image');
    const mask = await decodeMask(maskPath, { width: probe.width, height: probe.height }, 'mask');
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');

    const engine = createEmbeddedInpaintEngine(models ? { lama: { store: models, device } } : {});
    const progress = createProgress(io.stderr, 'inpainting');
    let result;
    try {
      result = await engine.inpaint({ image, mask, method, signal, transferInput: true, onProgress: (p) => progress.update(p) });
    } finally {
      progress.done();
      await engine.close();
    }
    const encoded = await encodeImage(result.image, format);
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    await writeFileAtomic(outPath, encoded);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr.write(`adstudio: wrote ${values.out} (${result.image.width}×${result.image.height}, ${result.madeBy}, ${seconds} s)\n`);
    return 0;
  },
};

/**
 * `adstudio help inpaint`: every method on this machine, the default marked, and whether LaMa's model
 * is installed in the model folder this environment points at (ADSTUDIO_MODELS_DIR, HF_HOME, …).
 */
function methodsStatus(io: CliIo): string {
  const rows: [string, string][] = FILL_METHODS.map((m) => [`${m.id}${m.id === DEFAULT_METHOD_ID ? ' (default)' : ''}`, `installed (built in: ${m.label})`]);
  rows.push([LAMA_METHOD_ID, lamaState(io)]);
  const width = Math.max(...rows.map(([id]) => id.length));
  return ['Methods on this machine:', ...rows.map(([id, state]) => `  ${id.padEnd(width)}  ${state}`)].join('\n');
}

function lamaState(io: CliIo): string {
  let status: ModelStatus;
  try {
    status = openModelStore({ env: io.env }).status(LAMA_METHOD_ID);
  } catch (e) {
    return `unknown: the model folder could not be read (${(e as Error).message})`;
  }
  const get = `adstudio models download ${LAMA_METHOD_ID} (${formatBytes(status.sizeBytes)})`;
  switch (status.state) {
    case 'installed':
      return `installed (${status.path})`;
    case 'partial':
      return `not installed: a download stopped at ${formatBytes(status.partialBytes)}; ${get} resumes it`;
    case 'corrupt':
      return `not installed: the file is damaged; ${get} replaces it`;
    default:
      return `not installed: ${get}`;
  }
}
