import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ModelFileSpec, ModelSpec } from './model-registry.js';

/** The public hub; ADSTUDIO_MODEL_HUB (then HF_ENDPOINT, Hugging Face's own variable) overrides it. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** The seed system's shared model volume (mounted as HF_HOME into its containers). */
export const SEED_MODEL_VOLUME = '/opt/huggingface';

export interface ModelsEnv {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
  exists?: (path: string) => boolean;
}

/**
 * The model volume: a folder laid out like Hugging Face's HF_HOME, so one volume serves adstudio,
 * engine containers (which mount it as HF_HOME) and any other HF tool. In order:
 * $ADSTUDIO_MODELS_DIR, $HF_HOME, the seed volume /opt/huggingface on Linux when it exists,
 * else $XDG_CACHE_HOME/huggingface or ~/.cache/huggingface (HF's default).
 */
export function defaultModelsHome({ env = process.env, platform = process.platform, home = homedir(), exists = existsSync }: ModelsEnv = {}): string {
  if (env.ADSTUDIO_MODELS_DIR) return env.ADSTUDIO_MODELS_DIR;
  if (env.HF_HOME) return env.HF_HOME;
  if (platform === 'linux' && exists(SEED_MODEL_VOLUME)) return SEED_MODEL_VOLUME;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'huggingface');
}

/**
 * The hub cache inside a models home (HF's HF_HUB_CACHE = $HF_HOME/hub), where `models--ORG--NAME`
 * folders live. $HF_HUB_CACHE wins when set and no adstudio-specific folder was given.
 */
export function hubCacheDir(options: ModelsEnv = {}): string {
  const env = options.env ?? process.env;
  if (!env.ADSTUDIO_MODELS_DIR && env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  return join(defaultModelsHome(options), 'hub');
}

/** Base URL of the hub, without a trailing slash. */
export function hubBaseUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.ADSTUDIO_MODEL_HUB || env.HF_ENDPOINT || DEFAULT_HUB_URL).replace(/\/+$/, '');
}

/** `https://huggingface.co/<org>/<name>/resolve/<revision>/<file>` */
export function fileUrl(hub: string, spec: ModelSpec, file: ModelFileSpec): string {
  const { org, name, revision } = spec.repo;
  const path = file.path.split('/').map(encodeURIComponent).join('/');
  return `${hub}/${encodeURIComponent(org)}/${encodeURIComponent(name)}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** Where one model repository lives in the hub cache, in Hugging Face's layout. */
export interface RepoLayout {
  /** <hub>/models--ORG--NAME */
  repoDir: string;
  blobsDir: string;
  /** <repoDir>/snapshots/<revision> */
  snapshotDir: string;
  /** <repoDir>/refs/main: the commit the branch name points at. */
  refFile: string;
  /** <hub>/.locks/models--ORG--NAME */
  locksDir: string;
  blob(sha256: string): string;
  /** Partial download of a blob (same name huggingface_hub uses, so either tool can resume it). */
  incomplete(sha256: string): string;
  /** The file as users and runtimes open it: snapshots/<revision>/<path> → ../../blobs/<sha256>. */
  snapshotFile(file: ModelFileSpec): string;
}

/** models--Carve--LaMa-ONNX (HF's folder naming: "models--" + repo id with "/" → "--"). */
export function repoFolderName(spec: ModelSpec): string {
  return `models--${spec.repo.org}--${spec.repo.name}`;
}

export function repoLayout(hubDir: string, spec: ModelSpec): RepoLayout {
  const folder = repoFolderName(spec);
  const repoDir = join(hubDir, folder);
  const blobsDir = join(repoDir, 'blobs');
  const snapshotDir = join(repoDir, 'snapshots', spec.repo.revision);
  return {
    repoDir,
    blobsDir,
    snapshotDir,
    refFile: join(repoDir, 'refs', 'main'),
    locksDir: join(hubDir, '.locks', folder),
    blob: (sha) => join(blobsDir, sha),
    incomplete: (sha) => join(blobsDir, `${sha}.incomplete`),
    snapshotFile: (file) => join(snapshotDir, ...file.path.split('/')),
  };
}
