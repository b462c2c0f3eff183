import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import { toIoError } from '../../core/paths/atomic-write.js';
import type { StageRequest } from '../stage-engine.js';

const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
let flatPng: Promise<Buffer> | null = null;

/** A 64×64 mid-grey PNG: the placeholder when no input image can stand in. */
function placeholderPng(): Promise<Buffer> {
  flatPng ??= sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toBuffer();
  return flatPng;
}

/** Starts sharp now, so its one-time start-up is not charged to the first simulated stage. */
export function warmPlaceholders(): void {
  placeholderPng().catch(() => undefined);
}

/**
 * Deterministic placeholder outputs of a simulated stage: an image output is a copy of the stage's
 * input image of the same format (the `image` input first), else a flat grey PNG; a JSON output says
 * it is simulated and found nothing. Nothing here pretends to be a model's work.
 */
export async function writePlaceholderOutputs(request: StageRequest, madeBy: string): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  for (const [name, path] of Object.entries(request.outputs)) {
    const ext = extname(path).toLowerCase();
    let data: Uint8Array | string;
    if (ext === '.json') {
      data = `${JSON.stringify({ simulated: true, madeBy, stage: request.kind, output: name, regions: [] }, null, 2)}\n`;
    } else if (IMAGE_EXTS.has(ext)) {
      data = (await copyOfInput(request, ext)) ?? (await placeholderPng());
    } else {
      data = `simulated output of ${request.kind} (${madeBy})\n`;
    }
    await writeReplacing(path, data);
    written[name] = path;
  }
  return written;
}

async function copyOfInput(request: StageRequest, ext: string): Promise<Buffer | null> {
  const inputs = Object.entries(request.inputs).sort(([a], [b]) => (a === 'image' ? -1 : b === 'image' ? 1 : 0));
  for (const [, path] of inputs) {
    if (extname(path).toLowerCase() !== ext) continue;
    try {
      return await readFile(path);
    } catch {
      // A missing input is the caller's business; fall back to the flat placeholder.
    }
  }
  return null;
}

/**
 * Temp file + rename: readers never see half a file. No fsync: a placeholder is not worth one, and
 * an fsync per output (~10 ms here) would distort the scaled-down timings of the simulation.
 */
async function writeReplacing(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw toIoError(e, dir);
  }
}
