import { AppError } from '../../preload/contract/index.js';
import type { RawImage } from '../core/images/raw-image.js';
import { openModelStore, type ModelStore } from '../core/models/index.js';
import type { InpaintEngine, InpaintMethod, InpaintRequest, InpaintResult } from './inpaint-engine.js';
import { MASK_THRESHOLD } from './inpaint/mask-regions.js';
import { DEFAULT_METHOD_ID, FILL_METHODS, getFillMethod } from './inpaint/methods.js';
import { contractFromSpec, createLamaInpainter, cudaProviderAvailable, deviceFromEnv, lamaDeviceClass, lamaModelInfo, type LamaDevice, type LamaHdOptions, type LamaInpainter } from './lama/index.js';
import type { ModelInfo } from './stage-engine.js';
import { WorkerPool } from './worker-pool.js';
import { workerScriptUrl } from './worker-script.js';
import type { InpaintJob, InpaintJobResult } from './workers/inpaint-job.js';

export interface EmbeddedInpaintEngineOptions {
  /** Worker threads at most; default min(2, cores). */
  poolSize?: number;
  /** Worker entry; default the bundled/source inpaint worker. Tests point it at misbehaving workers. */
  workerScript?: URL;
  /** How long a cancelled job may run on before its worker is terminated (default 40 ms). */
  cancelGraceMs?: number;
  /** The "lama" method (a downloadable model); see EmbeddedLamaOptions. */
  lama?: EmbeddedLamaOptions;
}

/** The erase method that runs LaMa (model id "lama" in the registry). */
export const LAMA_METHOD_ID = 'lama';

export interface EmbeddedLamaOptions {
  /**
   * Where installed models are found; default the store of this environment (ADSTUDIO_MODELS_DIR,
   * HF_HOME, …; see main/core/models). Null: no model store (the method is listed, never installed).
   */
  store?: ModelStore | null;
  /** Default ADSTUDIO_LAMA_DEVICE, else 'cpu'. */
  device?: LamaDevice;
  hd?: LamaHdOptions;
  threads?: number;
  /** Worker entry; default the bundled/source lama worker. */
  workerScript?: URL;
}

/**
 * The embedded engine's erase stage: validates on the calling thread, inpaints in worker threads.
 * Pixel buffers are copied once on the way in (the caller keeps its image) and moved on the way back.
 */
export function createEmbeddedInpaintEngine(options: EmbeddedInpaintEngineOptions = {}): InpaintEngine {
  let pool: WorkerPool | null = null;
  let closed = false;
  const getPool = () =>
    (pool ??= new WorkerPool({
      script: options.workerScript ?? workerScriptUrl('inpaint-worker'),
      label: 'inpainting',
      size: options.poolSize,
      cancelGraceMs: options.cancelGraceMs,
    }));

  const lama = lamaMethod(options.lama ?? {});

  return {
    methods(): InpaintMethod[] {
      return [...FILL_METHODS.map((m) => ({ id: m.id, label: m.label, isDefault: m.id === DEFAULT_METHOD_ID })), lama.describe()];
    },

    async inpaint(request: InpaintRequest): Promise<InpaintResult> {
      if (closed) throw new AppError('engine', 'the inpainting engine is closed');
      const { image, mask, signal, onProgress } = request;
      validate(image, mask);
      if (request.method === LAMA_METHOD_ID) {
        if (signal?.aborted) throw new AppError('cancelled', 'inpainting was cancelled');
        if (!hasMaskedPixel(mask.data)) {
          onProgress?.(1);
          return { image: { ...image, data: image.data.slice() }, madeBy: `inpaint:${LAMA_METHOD_ID}` };
        }
        return lama.inpaint(request);
      }
      const method = fillMethod(request.method);
      const madeBy = `inpaint:${method.id}`;
      if (signal?.aborted) throw new AppError('cancelled', 'inpainting was cancelled');
      if (!hasMaskedPixel(mask.data)) {
        onProgress?.(1);
        return { image: { ...image, data: image.data.slice() }, madeBy };
      }
      const p = getPool();
      const data = p.size > 1 ? await inpaintInParts(p, method.id, image, mask, signal, onProgress) : await inpaintWhole(p, method.id, request);
      return { image: { data, width: image.width, height: image.height, channels: image.channels }, madeBy };
    },

    models(): ModelInfo[] {
      const info = lama.info();
      return info ? [info] : [];
    },

    async loadModel(id, opts = {}) {
      if (closed) throw new AppError('engine', 'the inpainting engine is closed');
      if (id !== LAMA_METHOD_ID) throw new AppError('not-found', `the inpainting engine has no model "${id}" (it runs ${LAMA_METHOD_ID})`);
      await lama.load(opts.signal);
    },

    async unloadModel(id) {
      if (id !== LAMA_METHOD_ID) throw new AppError('not-found', `the inpainting engine has no model "${id}" (it runs ${LAMA_METHOD_ID})`);
      await lama.close();
    },

    async close(): Promise<void> {
      closed = true;
      await Promise.all([pool?.close(), lama.close()]);
    },
  };
}

/** A fill method by id; an unknown id names every method, LaMa included. */
function fillMethod(id: string | undefined) {
  try {
    return getFillMethod(id);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw new AppError('bad-request', `unknown inpainting method "${id}"; available: ${[...FILL_METHODS.map((m) => m.id), LAMA_METHOD_ID].join(', ')}`);
  }
}

/**
 * The "lama" method: listed always (with whether its model is installed), run in its own worker with
 * the network kept loaded. The model file is checked (SHA-256, once per process) before first use;
 * a missing one is AppError('not-found') naming `adstudio models download lama`.
 */
function lamaMethod(options: EmbeddedLamaOptions) {
  let store: ModelStore | null | undefined = options.store;
  let inpainter: { path: string; lama: LamaInpainter } | null = null;
  const getStore = (): ModelStore | null => {
    if (store === undefined) {
      try {
        store = openModelStore();
      } catch {
        store = null; // e.g. a broken ADSTUDIO_MODELS_REGISTRY file: LaMa is then just not available
      }
    }
    return store;
  };
  const installed = (): boolean => {
    try {
      return getStore()?.status(LAMA_METHOD_ID).state === 'installed';
    } catch {
      return false;
    }
  };

  const device = (): LamaDevice => options.device ?? deviceFromEnv();
  /** The inpainter for the installed file (a new one when the file changed, e.g. after a re-download). */
  const inpainterFor = async (signal: AbortSignal | undefined): Promise<LamaInpainter> => {
    const s = getStore();
    if (!s) throw new AppError('not-found', 'LaMa is not available: the model folder could not be opened; check ADSTUDIO_MODELS_DIR, then run "adstudio models download lama"');
    const path = await s.requireInstalled(LAMA_METHOD_ID, signal ? { signal } : {});
    if (inpainter?.path !== path) {
      const old = inpainter;
      inpainter = {
        path,
        lama: createLamaInpainter({
          modelPath: path,
          contract: contractFromSpec(s.spec(LAMA_METHOD_ID)),
          device: device(),
          ...(options.hd ? { hd: options.hd } : {}),
          ...(options.threads ? { threads: options.threads } : {}),
          ...(options.workerScript ? { workerScript: options.workerScript } : {}),
        }),
      };
      await old?.lama.close();
    }
    return inpainter.lama;
  };

  return {
    describe(): InpaintMethod {
      return { id: LAMA_METHOD_ID, label: 'LaMa (AI)', isDefault: false, model: LAMA_METHOD_ID, installed: installed() };
    },

    /**
     * LaMa for a scheduler, while installed: resident = its network is open (after a load or an erase).
     * The footprint is the registry's: RAM on the CPU, VRAM where it runs (or will run) on CUDA.
     */
    info(): ModelInfo | null {
      const s = getStore();
      if (!s || !installed()) return null;
      const provider = inpainter?.lama.loaded() ?? null;
      let where: LamaDevice;
      try {
        where = device();
      } catch {
        where = 'cpu'; // a bad ADSTUDIO_LAMA_DEVICE fails the erase itself with its message
      }
      return lamaModelInfo(s.spec(LAMA_METHOD_ID), { device: lamaDeviceClass(where, provider, cudaProviderAvailable), resident: provider !== null });
    },

    async load(signal: AbortSignal | undefined): Promise<void> {
      const lama = await inpainterFor(signal);
      await lama.load(signal ? { signal } : {});
    },

    async inpaint(request: InpaintRequest): Promise<InpaintResult> {
      const lama = await inpainterFor(request.signal);
      const out = await lama.inpaint(request.image, request.mask, {
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        transferInput: request.transferInput === true,
      });
      const { data, width, height, channels } = out;
      return { image: { data, width, height, channels }, madeBy: `inpaint:${LAMA_METHOD_ID}` };
    },

    /** Releases the network (the unload); the next erase or load opens it again. */
    async close(): Promise<void> {
      const current = inpainter;
      inpainter = null;
      await current?.lama.close();
    },
  };
}

/** One worker fills every region; the buffers are moved in and back. */
async function inpaintWhole(pool: WorkerPool, method: string, request: InpaintRequest): Promise<Uint8Array> {
  const { image, mask, signal, onProgress } = request;
  // Private copies that can be moved into the worker without detaching the caller's buffers, unless
  // the caller hands its buffers over. (Buffers Node cannot move, e.g. native ones from sharp, are
  // copied by postMessage instead: same result.)
  const own = request.transferInput === true;
  const job: InpaintJob = {
    method,
    width: image.width,
    height: image.height,
    channels: image.channels as 3 | 4,
    image: own ? image.data : image.data.slice(),
    mask: own ? mask.data : mask.data.slice(),
  };
  const transfer = [...new Set([job.image.buffer, job.mask.buffer])].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  const result = await pool.run<InpaintJob, InpaintJobResult>(job, { signal, onProgress, transfer });
  if (!result.image) throw new AppError('engine', 'the inpainting worker returned no pixels');
  return result.image;
}

/**
 * Every worker fills its share of the regions (split by crop area, see partitionRegions) in one shared
 * copy of the image: a text-heavy ad erases about `pool.size` times faster. Progress is the sum of the
 * parts' shares; one part failing or being cancelled stops the others.
 */
async function inpaintInParts(
  pool: WorkerPool,
  method: string,
  image: RawImage,
  mask: RawImage,
  signal: AbortSignal | undefined,
  onProgress: ((progress: number, message?: string) => void) | undefined,
): Promise<Uint8Array> {
  const shared = new Uint8Array(new SharedArrayBuffer(image.data.length));
  shared.set(image.data);
  const sharedMask = new Uint8Array(new SharedArrayBuffer(mask.data.length));
  sharedMask.set(mask.data);
  const count = pool.size;
  const stop = new AbortController();
  const forward = () => stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const shares = new Float64Array(count);
  let reported = 0;
  try {
    await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const job: InpaintJob = { method, width: image.width, height: image.height, channels: image.channels as 3 | 4, image: shared, mask: sharedMask, part: { index, count } };
        const onPart = (p: number) => {
          shares[index] = p;
          const total = Math.min(1, shares.reduce((a, b) => a + b, 0));
          if (total > reported) onProgress?.((reported = total));
        };
        return pool.run<InpaintJob, InpaintJobResult>(job, { signal: stop.signal, onProgress: onPart }).catch((e: unknown) => {
          stop.abort();
          throw e;
        });
      }),
    );
  } catch (e) {
    // The part that failed first tells why; the others only report that they were stopped.
    throw signal?.aborted ? new AppError('cancelled', 'inpainting was cancelled') : e;
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  return shared;
}

function validate(image: RawImage, mask: RawImage): void {
  if (image.channels !== 3 && image.channels !== 4) {
    throw new AppError('bad-image', `the image must have 3 (RGB) or 4 (RGBA) channels, not ${image.channels}`);
  }
  if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * image.channels) {
    throw new AppError('bad-image', `the image data (${image.data.length} bytes) does not match ${image.width}×${image.height}×${image.channels}`);
  }
  if (mask.channels !== 1) {
    throw new AppError('size-mismatch', `the mask must be a single-channel (grey) image, not ${mask.channels} channels`);
  }
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new AppError('size-mismatch', `the mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must be the same size`);
  }
  if (mask.data.length !== mask.width * mask.height) {
    throw new AppError('size-mismatch', `the mask data (${mask.data.length} bytes) does not match ${mask.width}×${mask.height}`);
  }
}

function hasMaskedPixel(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]! >= MASK_THRESHOLD) return true;
  return false;
}
