import { extname, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { decodeImage, encodeImage, probeImage } from '../../core/images/image-codec.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { createTextDetector, type TextRegion } from '../../engine/detect-text/index.js';
import { createTextReader, withTexts } from '../../engine/read-text/index.js';
import { assertWritableTarget, writeFileAtomic } from '../atomic-write.js';
import { UsageError, type CliStream } from '../cli-io.js';
import { createProgress } from '../progress.js';
import type { CliCommand } from './command.js';

export const detectTextCommand: CliCommand = {
  name: 'detect-text',
  summary: 'find the text in an image and write an erase mask (and optionally the text boxes)',
  usage: 'adstudio detect-text <image> --out <mask.png> [--boxes <boxes.json>] [--no-read]',
  details: [
    'Arguments:',
    '  <image>            PNG, JPEG or WebP',
    '  --out <file>       the mask: 8-bit grayscale PNG, same size as the image, white (255) = text',
    '  --boxes <file>     also write the text lines found, as JSON:',
    '                     {"width", "height", "regions": [{"id", "polygon": [[x, y], ...], "box",',
    '                     "score", "lineHeight", "angle", "text"}]}',
    '                     "text" is the line\'s copy as read by OCR, or null when it could not be read',
    '  --no-read          leave "text" null: skip reading the copy (saves ~1 s to start OCR + ~0.1 s a line)',
    '',
    'Text lines are found with the PP-OCRv4 detector (offline), then the mask is narrowed to the',
    'letters and widened in proportion to the font size. Feed the mask to "adstudio inpaint".',
    'With --boxes, each line is read with Tesseract (Korean + English, offline, from the installed',
    '@tesseract.js-data packages); expect small OCR mistakes on stylised copy.',
    'Ctrl+C cancels; files are only written once complete.',
    '',
    'Example:',
    '  adstudio detect-text ad.png --out ad-text.png --boxes ad-text.json',
    '  adstudio inpaint ad.png --mask ad-text.png --out ad-clean.png',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    boxes: { type: 'string' },
    'no-read': { type: 'boolean' },
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
    const image = await decodeImage(imagePath, 'keep', 'image');
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
    let regions = result.regions;
    let read: number | null = null;
    if (boxesPath !== undefined && values['no-read'] !== true && regions.length > 0) {
      const texts = await readTexts(image, regions, io.stderr, signal);
      regions = withTexts(regions, texts);
      read = texts.filter((t) => t !== null).length;
    }
    const png = await encodeImage(result.mask, 'png');
    if (signal.aborted) throw new AppError('cancelled', 'cancelled');
    await writeFileAtomic(outPath, png, 'mask');
    if (boxesPath !== undefined) {
      // One region per line: readable, and still plain JSON.
      const lines = regions.map((r) => `    ${JSON.stringify(forJson(r))}`).join(',\n');
      const json = `{\n  "width": ${image.width},\n  "height": ${image.height},\n  "regions": [${lines ? `\n${lines}\n  ` : ''}]\n}\n`;
      await writeFileAtomic(boxesPath, new TextEncoder().encode(json), 'boxes');
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const lines = regions.length === 1 ? '1 text line' : `${regions.length} text lines`;
    const readNote = read === null ? '' : `, ${read} read`;
    io.stderr.write(`adstudio: wrote ${values.out}${boxesPath ? ` and ${String(values.boxes)}` : ''} (${image.width}×${image.height}, ${lines}${readNote}, ${seconds} s)\n`);
    return 0;
  },
};

/** Reads each line's copy; a failure says how to go without it. */
async function readTexts(image: RawImage, regions: TextRegion[], stderr: CliStream, signal: AbortSignal): Promise<Array<string | null>> {
  const reader = createTextReader();
  const progress = createProgress(stderr, 'reading text');
  try {
    return await reader.read({ image, regions, signal, onProgress: (p) => progress.update(p) });
  } catch (e) {
    if (e instanceof AppError && e.code !== 'cancelled') throw new AppError(e.code, `could not read the text (${e.message}); add --no-read to write the boxes without it`);
    throw e;
  } finally {
    progress.done();
    await reader.close();
  }
}

function forJson(r: TextRegion) {
  return { id: r.id, polygon: r.polygon, box: r.box, score: r.score, lineHeight: r.lineHeight, angle: r.angle, text: r.text ?? null };
}
