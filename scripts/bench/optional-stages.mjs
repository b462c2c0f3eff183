// Hooks for stages that may or may not exist in this checkout: the text detector (issue 3, another
// helper's folder) and a LaMa inpainting model (a later issue). Each returns null when not available.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

/** createTextDetector from main/engine/detect-text, if that module exists and exports it. */
export async function loadTextDetector(repoRoot) {
  for (const file of ['main/engine/detect-text/index.ts', 'main/engine/detect-text/text-detector.ts', 'main/engine/detect-text/detector.ts']) {
    const path = join(repoRoot, file);
    if (!existsSync(path)) continue;
    const mod = await tsImport(path, import.meta.url);
    if (typeof mod.createTextDetector === 'function') return { create: mod.createTextDetector, file };
  }
  return null;
}

/** The mask (1 channel, >= 128 = text) of a detector result ({ mask, regions, … }). */
export function detectionMask(result) {
  return result?.mask?.data && result.mask.channels === 1 ? result.mask : null;
}

/**
 * A LaMa-style inpainting method, once a model file and its runner exist (models/lama*.onnx or
 * ADSTUDIO_LAMA_MODEL, and main/engine/inpaint/lama/index.ts exporting createLamaInpainter). The runner
 * is expected to take (image, mask) RawImages and resolve to a RawImage.
 */
export async function loadLama(repoRoot) {
  const model = process.env.ADSTUDIO_LAMA_MODEL ?? ['models/lama.onnx', 'models/big-lama.onnx'].map((f) => join(repoRoot, f)).find((f) => existsSync(f));
  const runner = join(repoRoot, 'main/engine/inpaint/lama/index.ts');
  if (!model || !existsSync(model)) return null;
  if (!existsSync(runner)) return { missing: `LaMa model at ${model} but no runner (${runner})` };
  const mod = await tsImport(runner, import.meta.url);
  if (typeof mod.createLamaInpainter !== 'function') return { missing: `${runner} does not export createLamaInpainter` };
  return { inpainter: await mod.createLamaInpainter({ modelPath: model }), model };
}
