import { AppError } from '../../../preload/contract/index.js';
import { BACKGROUND_PRESETS, type BackgroundPreset } from '../../../preload/contract/ad-layout.js';
import { WorkerPool } from '../worker-pool.js';
import { workerScriptUrl } from '../worker-script.js';
import type { BackgroundJob, BackgroundJobResult } from './background-job.js';
import type { PaletteColour } from './palette.js';
import { PRESETS } from './presets/index.js';
import { checkRequest, type Backdrop } from './render.js';

export { extractPalette, paletteFromHex, type PaletteColour } from './palette.js';
export { renderBackdrop, type Backdrop, type BackdropRequest } from './render.js';

export interface BackgroundRequest {
  /** Default "sweep". */
  preset?: BackgroundPreset;
  width: number;
  height: number;
  /** Default 1. */
  seed?: number;
  palette?: PaletteColour[];
  signal?: AbortSignal;
  onProgress?: (progress: number, message?: string) => void;
}

export interface BackgroundCandidatesRequest extends Omit<BackgroundRequest, 'preset'> {
  /** One preset for every candidate, or none: the candidates then go through the presets in turn. */
  preset?: BackgroundPreset;
}

export interface BackgroundEngine {
  render(request: BackgroundRequest): Promise<Backdrop>;
  /** `count` backdrops at once (seeds seed, seed+1, …), rendered in parallel: thumbnails to pick from. */
  candidates(count: number, request: BackgroundCandidatesRequest): Promise<Backdrop[]>;
  close(): Promise<void>;
}

export function presetDescriptions(): { id: BackgroundPreset; description: string }[] {
  return BACKGROUND_PRESETS.map((id) => ({ id, description: PRESETS[id].description }));
}

export interface BackgroundEngineOptions {
  /** Worker threads; default min(2, cores). */
  poolSize?: number;
  workerScript?: URL;
}

/** Procedural studio backdrops, rendered in worker threads (pure JS; terminating one is safe). */
export function createBackgroundEngine(options: BackgroundEngineOptions = {}): BackgroundEngine {
  let pool: WorkerPool | null = null;
  let closed = false;
  const getPool = () =>
    (pool ??= new WorkerPool({
      script: options.workerScript ?? workerScriptUrl('background-worker'),
      label: 'background',
      ...(options.poolSize ? { size: options.poolSize } : {}),
    }));

  const render = async (request: BackgroundRequest): Promise<Backdrop> => {
    if (closed) throw new AppError('engine', 'the background engine is closed');
    const job: BackgroundJob = {
      preset: request.preset ?? 'sweep',
      width: request.width,
      height: request.height,
      seed: request.seed ?? 1,
      palette: request.palette ?? [],
    };
    checkRequest(job);
    const r = await getPool().run<BackgroundJob, BackgroundJobResult>(job, {
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    request.onProgress?.(1);
    return { ...r, width: job.width, height: job.height, preset: job.preset, seed: job.seed };
  };

  return {
    render,
    async candidates(count, request) {
      if (!Number.isInteger(count) || count < 1 || count > 32) throw new AppError('bad-request', `ask for 1 to 32 background candidates, not ${count}`);
      const seed = request.seed ?? 1;
      const done = new Float64Array(count);
      const report = () => request.onProgress?.(done.reduce((a, b) => a + b, 0) / count);
      return Promise.all(
        Array.from({ length: count }, (_, i) =>
          render({
            ...request,
            preset: request.preset ?? BACKGROUND_PRESETS[i % BACKGROUND_PRESETS.length]!,
            seed: (seed + i) >>> 0,
            onProgress: (p) => {
              done[i] = p;
              report();
            },
          }),
        ),
      );
    },
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
