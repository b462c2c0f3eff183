import { hubBaseUrl, hubCacheDir, type ModelsEnv } from './model-paths.js';
import { ModelStore, type ModelStoreOptions } from './model-store.js';
import { loadModelRegistry } from './registry-file.js';

export { BUILTIN_MODELS, LAMA_MODEL, findModel, mainFile, totalSize, type ModelFileSpec, type ModelSpec, type TensorSpec } from './model-registry.js';
export { DEFAULT_HUB_URL, defaultModelsHome, fileUrl, hubBaseUrl, hubCacheDir, repoFolderName, repoLayout, type RepoLayout } from './model-paths.js';
export { ModelStore, type ModelFileStatus, type ModelOpOptions, type ModelProgress, type ModelState, type ModelStatus, type ModelStoreOptions, type ModelVerifyResult } from './model-store.js';
export { loadModelRegistry } from './registry-file.js';
export { formatBytes } from './disk-space.js';

/**
 * The model store for an environment: location from ADSTUDIO_MODELS_DIR / HF_HOME / HF_HUB_CACHE
 * (see hubCacheDir), hub from ADSTUDIO_MODEL_HUB / HF_ENDPOINT, registry plus ADSTUDIO_MODELS_REGISTRY.
 */
export function openModelStore(options: ModelsEnv & Partial<Omit<ModelStoreOptions, 'hubDir' | 'hubUrl' | 'registry'>> = {}): ModelStore {
  const env = options.env ?? process.env;
  const { env: _e, platform: _p, home: _h, exists: _x, ...rest } = options;
  return new ModelStore({ ...rest, hubDir: hubCacheDir(options), hubUrl: hubBaseUrl(env), registry: loadModelRegistry(env) });
}
