import { AppError } from '../../../preload/contract/index.js';

/** One tensor of a model's input/output contract. */
export interface TensorSpec {
  name: string;
  dtype: 'float32';
  /** e.g. [1, 3, 512, 512] (NCHW). */
  shape: readonly number[];
  /** What the values mean, e.g. "RGB scaled to 0..1", "1 = erase". */
  meaning: string;
  /** The value range: [0, 1] inputs, [0, 255] for an output already in pixel units. */
  range: readonly [number, number];
}

/** A file of a model repository on the hub, as its Git LFS pointer describes it. */
export interface ModelFileSpec {
  /** Path inside the repository, e.g. "lama_fp32.onnx". */
  path: string;
  /** SHA-256 of the content (lower-case hex) = the LFS oid = the blob's name in the HF cache. */
  sha256: string;
  /** Exact size in bytes. */
  sizeBytes: number;
}

export interface ModelSpec {
  /** Short id used everywhere: `adstudio models download <id>`, the erase method, the scheduler. */
  id: string;
  label: string;
  /** What it is for. */
  task: 'inpaint';
  /** Hugging Face repository and the commit the checksums belong to (pinned: the file behind a branch can change). */
  repo: { org: string; name: string; revision: string };
  /** The files to fetch; the first is the one the runtime loads. */
  files: readonly ModelFileSpec[];
  license: string;
  /** Where people can read about the model and its licence. */
  homepage: string;
  /** Declared resident footprint (estimates until measured; the scheduler corrects them from observed peaks). */
  footprint: { ramBytes: number; vramBytes: number };
  /** Input/output contract the runtime checks before running. */
  io: { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] };
  /** Where the checksum and size come from (so a reader can check them again). */
  source: string;
}

const MB = 1024 * 1024;

/**
 * LaMa big-lama as ONNX (Carve/LaMa-ONNX, Apache-2.0): the resolution-robust inpainting network of
 * Suvorov et al. (advimman/lama), exported with a fixed 512×512 input.
 *
 * Checksum and size: confirmed when this entry was written against Hugging Face's own pages (read
 * through a public-page index, not by downloading the file): the file page https://huggingface.co/Carve/LaMa-ONNX/blob/f5aae88…/lama_fp32.onnx
 * ("Git LFS Details: SHA256 1faef530…68d6, size of remote file 208 MB") and the LFS pointer in commit
 * a3ee2fca54baebec351b8fa7786154ffa7555aa6 ("Upload lama_fp32.onnx": oid sha256:1faef530…68d6,
 * size 208044816). The repository's main branch is at c3c0c9e468934d62e79c329e35d82dd09ff8c444
 * (later commits touch only README and example images), which is what we pin. An earlier upload of
 * the same path (commit 9d292e1) had another oid (4b187e02…): pinning the revision matters.
 *
 * Contract (model card + the export wrapper): `image` RGB 0..1 and `mask` 1 = hole in; the network
 * zeroes the hole itself and returns `output` RGB already multiplied by 255.
 * Footprint: 208 MB of weights; RAM/VRAM are estimates for one 512² run (fp32 activations of the
 * FFC blocks plus ONNX Runtime's arena), to be corrected by the scheduler from observed peaks.
 */
export const LAMA_MODEL: ModelSpec = {
  id: 'lama',
  label: 'LaMa (big-lama, ONNX)',
  task: 'inpaint',
  repo: { org: 'Carve', name: 'LaMa-ONNX', revision: 'c3c0c9e468934d62e79c329e35d82dd09ff8c444' },
  files: [{ path: 'lama_fp32.onnx', sha256: '1faef5301d78db7dda502fe59966957ec4b79dd64e16f03ed96913c7a4eb68d6', sizeBytes: 208_044_816 }],
  license: 'Apache-2.0',
  homepage: 'https://huggingface.co/Carve/LaMa-ONNX',
  footprint: { ramBytes: 1400 * MB, vramBytes: 1600 * MB },
  io: {
    inputs: [
      { name: 'image', dtype: 'float32', shape: [1, 3, 512, 512], meaning: 'RGB scaled to 0..1', range: [0, 1] },
      { name: 'mask', dtype: 'float32', shape: [1, 1, 512, 512], meaning: '1 = erase, 0 = keep', range: [0, 1] },
    ],
    outputs: [{ name: 'output', dtype: 'float32', shape: [1, 3, 512, 512], meaning: 'RGB in pixel units', range: [0, 255] }],
  },
  source:
    'Hugging Face Carve/LaMa-ONNX: file page (Git LFS details) and the LFS pointer of commit a3ee2fca54baebec351b8fa7786154ffa7555aa6; main at c3c0c9e468934d62e79c329e35d82dd09ff8c444',
};

/** Every model adstudio knows how to fetch, in `models list` order. */
export const BUILTIN_MODELS: readonly ModelSpec[] = [LAMA_MODEL];

/** The spec for an id, or AppError('not-found') naming the known ids. */
export function findModel(registry: readonly ModelSpec[], id: string): ModelSpec {
  const spec = registry.find((m) => m.id === id);
  if (!spec) throw new AppError('not-found', `unknown model "${id}"; known models: ${registry.map((m) => m.id).join(', ') || 'none'}`);
  return spec;
}

/** The file the runtime loads. */
export function mainFile(spec: ModelSpec): ModelFileSpec {
  const file = spec.files[0];
  if (!file) throw new AppError('internal', `model "${spec.id}" lists no files`);
  return file;
}

export function totalSize(spec: ModelSpec): number {
  return spec.files.reduce((n, f) => n + f.sizeBytes, 0);
}
