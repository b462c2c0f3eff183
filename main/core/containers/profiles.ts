import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import type { EngineSettings, ProfileOverride, CustomProfile } from './engine-settings.js';

/** How to talk to the engine; "generic" = only its health route is known (any 2xx = up). */
export type EngineProtocol = 'adstudio-v1' | 'nanococoa' | 'generic';
/** "auto" publishes ports when the daemon can, else uses the host network (dockerd --bridge=none). */
export type NetworkChoice = 'auto' | 'publish' | 'host';

/** How to get a profile's image when the daemon does not have it. */
export type ImageSource =
  | { kind: 'build'; dockerfile: string; baseImage: string }
  | { kind: 'pull' }
  /** Neither: tell the person how to get it. */
  | { kind: 'manual'; hint: string };

/** Everything needed to find, create and watch one engine container. */
export interface EngineProfile {
  name: string;
  title: string;
  protocol: EngineProtocol;
  image: string;
  source: ImageSource;
  /** Other image repositories (without tag) that count as this engine when adopting by name or port. */
  imageAliases: string[];
  /** The name adstudio creates the container under. */
  containerName: string;
  /** Names other tools give this engine's container (found and adopted, never duplicated). */
  knownNames: string[];
  containerPort: number;
  /** Published on 127.0.0.1 only (or, with the host network, the port the server binds on 127.0.0.1). */
  hostPort: number;
  healthPath: string;
  network: NetworkChoice;
  /** The model cache: host folder → container folder. */
  volume: { hostPath: string; containerPath: string } | null;
  /**
   * The engine protocol's workspace (adstudio-v1 only): stage inputs and outputs are files here, so
   * the app and the engine see the same files (host folder → container folder).
   */
  workspace: { hostPath: string; containerPath: string } | null;
  env: Record<string, string>;
  /** Host environment variables handed to the container when set (tokens stay out of settings files). */
  passEnv: string[];
  gpu: boolean;
  /** Warn when the model volume's disk has less free space than this. */
  minFreeDiskGb: number;
  minVramGb: number;
  /** How long a start may take to answer health (first starts download models: be generous). */
  healthTimeoutSec: number;
  stopTimeoutSec: number;
  /** Container command; "{host}" and "{port}" become the bind address and port. null = the image's CMD. */
  command: string[] | null;
  /** True for profiles from settings (custom), false for the built-in ones. */
  custom: boolean;
}

export const ADSTUDIO_ENGINE = 'adstudio-engine';
export const NANOCOCOA = 'nanococoa';
/** Where `adstudio serve` finds its workspace inside the engine container. */
export const ENGINE_WORKSPACE = '/workspace';
/** The public base the Dockerfile defaults to (its ARG BASE_IMAGE). */
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';

/** The host side of the adstudio engine's workspace: files the app and the container both see. */
export function engineWorkspaceDir(dataDir: string): string {
  return join(dataDir, 'engine-workspace');
}

/** The seed system mounted the Hugging Face cache from /opt/huggingface; elsewhere HF's own default. */
export function defaultModelVolume(platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return platform === 'linux' ? '/opt/huggingface' : join(home, '.cache', 'huggingface');
}

export interface ProfileContext {
  /** adstudio's version: tags the engine image. */
  version: string;
  platform?: NodeJS.Platform;
  home?: string;
  /** Host folder bound as the adstudio engine's workspace (usually <data dir>/engine-workspace). */
  workspaceHostPath?: string;
}

export function builtinProfiles(settings: EngineSettings, ctx: ProfileContext): EngineProfile[] {
  const modelHost = settings.modelVolumeHostPath ?? defaultModelVolume(ctx.platform, ctx.home);
  const timeout = settings.healthTimeoutSec;
  const adstudio: EngineProfile = {
    name: ADSTUDIO_ENGINE,
    title: 'adstudio engine (CPU, embedded engine in a container)',
    protocol: 'adstudio-v1',
    image: `adstudio-engine:${ctx.version}`,
    source: { kind: 'build', dockerfile: 'Dockerfile', baseImage: settings.baseImage ?? DEFAULT_BASE_IMAGE },
    imageAliases: ['adstudio-engine'],
    containerName: 'adstudio-engine',
    knownNames: ['adstudio-engine'],
    containerPort: 8765,
    hostPort: 8765,
    healthPath: '/health',
    network: settings.network,
    volume: { hostPath: modelHost, containerPath: '/models' },
    workspace: ctx.workspaceHostPath ? { hostPath: ctx.workspaceHostPath, containerPath: ENGINE_WORKSPACE } : null,
    env: { HF_HOME: '/models', ADSTUDIO_WORKSPACE: ENGINE_WORKSPACE },
    passEnv: [],
    gpu: false,
    minFreeDiskGb: 2,
    minVramGb: 0,
    healthTimeoutSec: timeout ?? 120,
    stopTimeoutSec: 10,
    command: ['serve', '--host', '{host}', '--port', '{port}'],
    custom: false,
  };
  const nanococoa: EngineProfile = {
    name: NANOCOCOA,
    title: 'nanoCocoa AI server (GPU, FLUX/SDXL)',
    protocol: 'nanococoa',
    image: 'nanococoa-aiserver:latest',
    source: {
      kind: 'manual',
      hint: 'Build it from the seed repository (cd src/nanoCocoa_aiserver && docker build -t nanococoa-aiserver:latest .) or set "image" for the nanococoa profile in engines.json (e.g. a c0z0c/nanococoa tag) and start again to pull it.',
    },
    imageAliases: ['nanococoa-aiserver', 'c0z0c/nanococoa'],
    containerName: 'adstudio-nanococoa',
    // The seed's compose file and its docs disagree on the name; both are adopted.
    knownNames: ['adstudio-nanococoa', 'nanococoa-aiserver', 'nanococoa_aiserver'],
    containerPort: 8000,
    hostPort: 8000,
    healthPath: '/health',
    network: settings.network,
    volume: { hostPath: modelHost, containerPath: '/root/.cache/huggingface' },
    workspace: null,
    env: { HF_HOME: '/root/.cache/huggingface', PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True' },
    passEnv: ['HF_TOKEN', 'OPENAI_API_KEY'],
    gpu: true,
    // The seed team asked for 60 GB free to build and 150 GB to be safe.
    minFreeDiskGb: 60,
    minVramGb: 22,
    // First start downloads 70–90 GB of weights.
    healthTimeoutSec: timeout ?? 1800,
    stopTimeoutSec: 30,
    command: null,
    custom: false,
  };
  return [withLamaDevice(applyOverride(adstudio, settings.profiles[ADSTUDIO_ENGINE])), applyOverride(nanococoa, settings.profiles[NANOCOCOA])];
}

/**
 * The adstudio engine with the GPU (engines.json: profiles["adstudio-engine"].gpu = true): the
 * container gets the GPU device request, its image is the GPU variant (ensure-image.ts), and LaMa is
 * told to use CUDA when it can (ADSTUDIO_LAMA_DEVICE=auto: it logs why and runs on the CPU when CUDA
 * does not start). An env override in engines.json (e.g. "cuda" to fail loudly instead) wins.
 */
function withLamaDevice(p: EngineProfile): EngineProfile {
  if (!p.gpu) return p;
  return {
    ...p,
    title: 'adstudio engine (GPU: LaMa on CUDA, embedded engine in a container)',
    env: { ADSTUDIO_LAMA_DEVICE: 'auto', ...p.env },
  };
}

/** Built-in profiles (with their overrides) followed by the custom ones from settings. */
export function resolveProfiles(settings: EngineSettings, ctx: ProfileContext): EngineProfile[] {
  const builtins = builtinProfiles(settings, ctx);
  const modelHost = settings.modelVolumeHostPath ?? defaultModelVolume(ctx.platform, ctx.home);
  const custom = settings.customProfiles.map((c) => fromCustom(c, modelHost, settings, ctx));
  const seen = new Set<string>();
  for (const p of [...builtins, ...custom]) {
    if (seen.has(p.name)) throw new AppError('bad-request', `Two engine profiles are named "${p.name}"; rename the custom one in engines.json.`);
    seen.add(p.name);
  }
  return [...builtins, ...custom];
}

export function findProfile(profiles: readonly EngineProfile[], name: string): EngineProfile {
  const p = profiles.find((x) => x.name === name);
  if (!p) throw new AppError('not-found', `There is no engine profile "${name}". Profiles: ${profiles.map((x) => x.name).join(', ')}.`);
  return p;
}

function applyOverride(p: EngineProfile, o: ProfileOverride | undefined): EngineProfile {
  if (!o) return p;
  const next: EngineProfile = { ...p, env: { ...p.env, ...o.env }, passEnv: [...p.passEnv, ...(o.passEnv ?? [])] };
  if (o.image !== undefined) {
    next.image = o.image;
    // A changed image of a pull-able name is pulled; the built one stays built.
    if (p.source.kind === 'manual') next.source = { kind: 'pull' };
    next.imageAliases = [...p.imageAliases, repository(o.image)];
  }
  if (o.hostPort !== undefined) next.hostPort = o.hostPort;
  if (o.containerPort !== undefined) next.containerPort = o.containerPort;
  if (o.containerName !== undefined) {
    next.containerName = o.containerName;
    next.knownNames = [o.containerName, ...p.knownNames.filter((n) => n !== p.containerName)];
  }
  if (o.network !== undefined) next.network = o.network;
  if (o.healthTimeoutSec !== undefined) next.healthTimeoutSec = o.healthTimeoutSec;
  if (o.volumeHostPath !== undefined && p.volume) next.volume = { ...p.volume, hostPath: o.volumeHostPath };
  if (o.minFreeDiskGb !== undefined) next.minFreeDiskGb = o.minFreeDiskGb;
  if (o.gpu !== undefined) next.gpu = o.gpu;
  return next;
}

function fromCustom(c: CustomProfile, modelHost: string, settings: EngineSettings, ctx: ProfileContext): EngineProfile {
  // An adstudio-protocol engine gets the app's workspace like the built-in one, so the app can run jobs on it.
  const workspace = c.protocol === 'adstudio-v1' && ctx.workspaceHostPath ? { hostPath: ctx.workspaceHostPath, containerPath: ENGINE_WORKSPACE } : null;
  return {
    name: c.name,
    title: c.title ?? c.name,
    protocol: c.protocol,
    image: c.image,
    source: { kind: 'pull' },
    imageAliases: [repository(c.image)],
    containerName: c.containerName ?? `adstudio-${c.name}`,
    knownNames: [c.containerName ?? `adstudio-${c.name}`, ...c.knownNames],
    containerPort: c.port,
    hostPort: c.hostPort ?? c.port,
    healthPath: c.healthPath,
    network: c.network ?? settings.network,
    volume: c.volume ? { hostPath: c.volume.hostPath ?? modelHost, containerPath: c.volume.containerPath } : null,
    workspace,
    env: workspace ? { ADSTUDIO_WORKSPACE: ENGINE_WORKSPACE, ...c.env } : c.env,
    passEnv: c.passEnv,
    gpu: c.gpu,
    minFreeDiskGb: c.minFreeDiskGb,
    minVramGb: c.minVramGb,
    healthTimeoutSec: c.healthTimeoutSec ?? settings.healthTimeoutSec ?? 600,
    stopTimeoutSec: c.stopTimeoutSec,
    command: c.command ?? null,
    custom: true,
  };
}

/** "registry:5000/team/app:tag" → "registry:5000/team/app"; digests dropped too. */
export function repository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** True when a container's image belongs to this profile (same repository as the image or an alias). */
export function imageMatches(profile: EngineProfile, image: string): boolean {
  const repo = repository(image).replace(/^docker\.io\/(library\/)?/, '');
  return [repository(profile.image), ...profile.imageAliases].some((r) => r.replace(/^docker\.io\/(library\/)?/, '') === repo);
}
