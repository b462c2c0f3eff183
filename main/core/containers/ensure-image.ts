import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildFailed, imageMissing, pullFailed } from './explain.js';
import { engineBuildContext, LABELS } from './engine-image.js';
import { DEFAULT_BASE_IMAGE, type EngineProfile } from './profiles.js';
import { type ContainerRuntime, type DaemonInfo, type ImageDetails, type ImageProgress, RuntimeError } from './runtime.js';
import { packTar } from './tar-pack.js';

export interface EnsureImageInput {
  runtime: ContainerRuntime;
  profile: EngineProfile;
  info: DaemonInfo;
  /** Where the Dockerfile and bundles are; null in a packaged app (no building there). */
  packageRoot: string | null;
  distDir?: string;
  /** Preferred base when the profile keeps the default (a local `docker import` base); null = none. */
  localBaseImage: string | null;
  /** Called once the kind of work is known, then with progress. */
  onPhase(phase: 'build' | 'pull'): void;
  onProgress(p: ImageProgress): void;
  signal?: AbortSignal;
}

/** The local base image made by scripts/docker/make-local-base.sh for this Node version. */
export function localBaseTag(nodeVersion: string = process.versions.node): string {
  return `adstudio-local/node:${nodeVersion}`;
}

/**
 * Makes sure the profile's image is on the daemon: reuse it when it is current; otherwise build it
 * (adstudio-engine: from our Dockerfile, rebuilt when the bundles or the lock file changed), pull it,
 * or explain how to get it.
 */
export async function ensureImage(i: EnsureImageInput): Promise<ImageDetails> {
  const { runtime, profile } = i;
  const existing = await runtime.inspectImage(profile.image);
  const source = profile.source;

  if (source.kind === 'build') {
    const root = i.packageRoot;
    if (!root || !existsSync(join(root, source.dockerfile))) {
      if (existing) return existing;
      throw imageMissing(profile, `Build it from the adstudio source folder: docker build -t ${profile.image} . (add --build-arg BASE_IMAGE=<local base> where no registry is reachable).`);
    }
    let base = source.baseImage;
    if (base === DEFAULT_BASE_IMAGE && i.localBaseImage && !(await runtime.inspectImage(base)) && (await runtime.inspectImage(i.localBaseImage))) {
      base = i.localBaseImage;
    }
    const context = engineBuildContext({ packageRoot: root, ...(i.distDir ? { distDir: i.distDir } : {}), architecture: i.info.architecture });
    const variant = engineVariant(profile);
    // The variant is part of what went in: switching the GPU on or off rebuilds.
    const hash = context.sourceHash(variant.cuda ? `${base} +ort-cuda` : base);
    if (existing && existing.labels[LABELS.sourceHash] === hash) return existing;
    i.onPhase('build');
    try {
      await runtime.buildImage(
        {
          tag: profile.image,
          context: packTar(context.entries()),
          dockerfile: source.dockerfile,
          // The Dockerfile writes the labels itself (one LABEL step): build-API labels cost a step each.
          buildArgs: { BASE_IMAGE: base, ADSTUDIO_SOURCE_HASH: hash, ORT_CUDA: variant.cuda ? '1' : '0' },
          labels: {},
          target: variant.target,
        },
        i.onProgress,
        i.signal,
      );
    } catch (e) {
      if (e instanceof RuntimeError && e.kind !== 'unreachable') {
        const why = variant.cuda ? `${e.message} (the GPU variant fetches onnxruntime-node's CUDA provider from api.nuget.org while building; without the network set "gpu": false for ${profile.name} in engines.json)` : e.message;
        throw buildFailed(profile, why, base);
      }
      throw e;
    }
    return mustExist(runtime, profile);
  }

  if (existing) return existing;
  if (source.kind === 'manual') throw imageMissing(profile, source.hint);
  i.onPhase('pull');
  try {
    await runtime.pullImage(profile.image, i.onProgress, i.signal);
  } catch (e) {
    if (e instanceof RuntimeError && e.kind !== 'unreachable') throw pullFailed(profile, e.message);
    throw e;
  }
  return mustExist(runtime, profile);
}

/**
 * Which stage of our Dockerfile to build: "engine" (CPU, no RUN step), or for a profile that asks for
 * the GPU the stage that also fetches onnxruntime-node's CUDA provider library (needs api.nuget.org at
 * build time, and a base image with the CUDA 12 + cuDNN 9 runtime libraries to be of use).
 */
export function engineVariant(profile: Pick<EngineProfile, 'gpu'>): { cuda: boolean; target: string } {
  return profile.gpu ? { cuda: true, target: 'engine-ort-cuda-1' } : { cuda: false, target: 'engine' };
}

async function mustExist(runtime: ContainerRuntime, profile: EngineProfile): Promise<ImageDetails> {
  const img = await runtime.inspectImage(profile.image);
  if (!img) throw imageMissing(profile, 'The daemon reported success but the image is not there; try again.');
  return img;
}
