// Hooks for stages that may or may not exist in this checkout: the text detector (issue 3, another
// helper's folder) and LaMa (issue 8; needs its model file). Each returns null when not available.
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
 * LaMa (main/engine/lama, createLamaInpainter), when a model file is there: $ADSTUDIO_LAMA_MODEL, or
 * models/lama.onnx / models/big-lama.onnx in the repository, or the model manager's installed copy
 * (`adstudio models download lama`: ADSTUDIO_MODELS_DIR / HF_HOME, checked against its SHA-256).
 * Returns null when there is no model, { missing } when one is there but cannot be used.
 * The inpainter takes (image, mask) RawImages and resolves to a RawImage; close() it at the end.
 */
export async function loadLama(repoRoot) {
  const runner = join(repoRoot, 'main/engine/lama/index.ts');
  let model = process.env.ADSTUDIO_LAMA_MODEL ?? ['models/lama.onnx', 'models/big-lama.onnx'].map((f) => join(repoRoot, f)).find((f) => existsSync(f));
  // A file named directly is used as it is: say so next to its figures (only the real weights mean anything).
  const note = model ? ' (used as given, not checked against the registry SHA-256)' : '';
  if (!model) {
    const { openModelStore } = await tsImport(join(repoRoot, 'main/core/models/index.ts'), import.meta.url);
    const store = openModelStore();
    if (store.status('lama').state === 'missing') return null;
    try {
      model = await store.requireInstalled('lama');
    } catch (e) {
      return { missing: e.message };
    }
  }
  if (!existsSync(model)) return { missing: `no LaMa model at ${model}` };
  if (!existsSync(runner)) return { missing: `LaMa model at ${model} but no runner (${runner})` };
  const mod = await tsImport(runner, import.meta.url);
  if (typeof mod.createLamaInpainter !== 'function') return { missing: `${runner} does not export createLamaInpainter` };
  return { inpainter: mod.createLamaInpainter({ modelPath: model, device: mod.deviceFromEnv() }), model: `${model}${note}` };
}
