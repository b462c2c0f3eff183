import { extname, resolve } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../preload/contract/index.js';
import { decodeImage, encodeImage, probeImage } from '../../core/images/image-codec.js';
import { createTextDetector, type TextRegion } from '../../engine/detect-text/index.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';

export const detectTextCommand: CliCommand = {
  name: 'detect-text',
  summary: 'find the text in an image and write an erase mask (and optionally the text boxes)',
  usage: 'adstudio detect-text <image> --out <mask.png> [--boxes <boxes.json>]',
  details: [
    'Arguments:',
    '  <image>            PNG, JPEG or WebP',
    '  --out <file>       the mask: 8-bit grayscale PNG, same size as the image, white (255) = text',
    '  --boxes <file>     also write the text lines found, as JSON:',
    '                     {"width", "height", "regions": [{"id", "polygon": [[x, y], ...], "box",',
    '                     "score", "lineHeight", "angle", "text"}]}  ("text" is null: not read yet)',
    '',
    'Text lines are found with the PP-OCRv4 detector (offline), then the mask is narrowed to the',
    'letters and widened in proportion to the font size. Feed the mask to "adstudio inpaint".',
    'Ctrl+C cancels; files are only written once complete.',
    '',
    'Example:',
    '  adstudio detect-text ad.png --out ad-text.png --boxes ad-text.json',
    '  adstudio inpaint ad.png --mask ad-text.png --out ad-clean.png',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    boxes: { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length === 0) throw new UsageError('missing <image>', 'detect-text');
    if (positionals.length > 1) throw new UsageError(`expected one image, got ${positionals.length}: ${positionals.join(' ')}`, 'detect-text');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out <mask.png>', 'detect-text');
    if (values.boxes !== undefined && (typeof values.boxes !== 'string' || values.boxes === '')) throw new UsageError('option --boxes needs a file name', 'detect-text');
    const imagePath = resolve(io.cwd, positionals[0]!);
    const outPath = resolve(io.cwd, values.out);
    const boxesPath = typeof values.boxes === 'string' ? resolve(io.cwd, values.boxes) : undefined;

    // Cheap checks first, so a mistake costs no detection time.
    if (extname(outPath).toLowerCase() !== '.png') throw new AppError('bad-request', `the mask is written as PNG: give --out a .png file name, not "${values.out}"`);
    if (boxesPath !== undefined && boxesPath === outPath) throw new AppError('bad-request', '--out and --boxes name the same file');
    await assertWritableTarget(outPath, 'mask');
    if (boxesPath !== undefined) await assertWritableTarget(boxesPath, 'boxes');

    const started = Date.now();
    await probeImage(imagePath, 'image');
    const hasAlpha = (await sharp(imagePath).metadata()).hasAlpha === true;
    const image = await decodeImage(imagePath, hasAlpha ? 4 : 3, 'image');
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');

    const detector = createTextDetector();
    const progress = createProgress(io.stderr, 'detecting text');
    let result;
    try {
      result = await detector.detect({ image, signal, onProgress: (p) => progress.update(p) });
    } finally {
      progress.done();
      await detector.close();
    }
    const png = await encodeImage(result.mask, 'png');
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    await writeFileAtomic(outPath, png, 'mask');
    if (boxesPath !== undefined) {
      // One region per line: readable, and still plain JSON.
      const regions = result.regions.map((r) => `    ${JSON.stringify(forJson(r))}`).join(',\n');
      const json = `{\n  "width": ${image.width},\n  "height": ${image.height},\n  "regions": [${regions ? `\n${regions}\n  ` : ''}]\n}\n`;
      await writeFileAtomic(boxesPath, new TextEncoder().encode(json), 'boxes');
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const lines = result.regions.length === 1 ? '1 text line' : `${result.regions.length} text lines`;
    io.stderr.write(`adstudio: wrote ${values.out}${boxesPath ? ` and ${String(values.boxes)}` : ''} (${image.width}×${image.height}, ${lines}, ${seconds} s)\n`);
    return 0;
  },
};

function forJson(r: TextRegion) {
  return { id: r.id, polygon: r.polygon, box: r.box, score: r.score, lineHeight: r.lineHeight, angle: r.angle, text: r.text ?? null };
}
