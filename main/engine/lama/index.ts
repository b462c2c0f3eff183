import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { LAMA_MODEL } from '../../core/models/model-registry.js';
import { drainAndClose } from '../drain-and-close.js';
import { WorkerPool } from '../worker-pool.js';
import { workerScriptUrl } from '../worker-script.js';
import type { LamaJob, LamaJobResult, LamaLoadJob, LamaLoadResult } from './lama-job.js';
import { contractFromSpec, type LamaContract, type LamaDevice, type LamaHdOptions } from './lama-options.js';

export { contractFromSpec, DEFAULT_HD, deviceFromEnv, LAMA_DEVICES, type LamaContract, type LamaDevice, type LamaHdOptions } from './lama-options.js';
export { planLamaWindows, type LamaPlan, type LamaWindow } from './hd-plan.js';
export { runLama, type LamaInfer, type LamaStats } from './run-lama.js';
export { cudaProviderAvailable, loadLamaSession, type LamaSession, type LamaSessionOptions } from './lama-session.js';
export { lamaDeviceClass, lamaModelInfo } from './stage-model.js';

export interface LamaInpainterOptions {
  /** The ONNX file (from the model store: ModelStore.requireInstalled('lama')). */
  modelPath: string;
  /** Tensor names and size; default LaMa's (the registry entry). */
  contract?: LamaContract;
  /** Default 'cpu'. */
  device?: LamaDevice;
  hd?: LamaHdOptions;
  /** ONNX Runtime threads; default all cores. */
  threads?: number;
  /** Worker entry; default the bundled/source lama worker. */
  workerScript?: URL;
  /**
   * How long a cancelled job may run on before its worker is terminated (default 2 s, a last resort:
   * jobs stop within a few ms, and terminating a worker while ONNX Runtime works in it would abort the
   * whole process).
   */
  cancelGraceMs?: number;
}

export interface LamaInpaintOptions {
  signal?: AbortSignal;
  /** 0..1, monotonic: windows done. */
  onProgress?: (progress: number, message?: string) => void;
  /** The caller gives up image.data and mask.data (moved into the worker, not copied). */
  transferInput?: boolean;
}

/** The filled image plus how it was made. */
export interface LamaOutput extends RawImage {
  strategy: 'whole' | 'crop';
  windows: number;
  filledPixels: number;
  provider: 'cpu' | 'cuda';
}

export interface LamaInpainter {
  /** Pixels outside the mask (>= 128) come back bit-identical, alpha included. */
  inpaint(image: RawImage, mask: RawImage, options?: LamaInpaintOptions): Promise<LamaOutput>;
  /** Opens the network now (an erase would open it on first use); resolves with the provider it runs on. */
  load(options?: { signal?: AbortSignal }): Promise<'cpu' | 'cuda'>;
  /** The provider of the open network; null while none is open (never loaded, or closed). */
  loaded(): 'cpu' | 'cuda' | null;
  /** Releases the network (ONNX session.release()) and ends the worker. */
  close(): Promise<void>;
}

/** Longest close() waits for the worker's native work to end before terminating it anyway. */
const DRAIN_LIMIT_MS = 30_000;

/**
 * LaMa erase off the calling thread: one worker keeps the network loaded between calls; call close()
 * when done. Cancelling settles within a few tens of ms: the worker stops waiting for the network at
 * once (the run finishes in the background and is never cut short, see LamaDrainJob).
 */
export function createLamaInpainter(options: LamaInpainterOptions): LamaInpainter {
  const contract = options.contract ?? contractFromSpec(LAMA_MODEL);
  let pool: WorkerPool | null = null;
  let closed = false;
  const running = new Set<AbortController>();
  let provider: 'cpu' | 'cuda' | null = null;
  const session = { modelPath: options.modelPath, contract, device: options.device ?? 'cpu', ...(options.threads ? { threads: options.threads } : {}) };
  const getPool = () =>
    (pool ??= new WorkerPool({
      script: options.workerScript ?? workerScriptUrl('lama-worker'),
      label: 'LaMa inpainting',
      size: 1,
      cancelGraceMs: options.cancelGraceMs ?? 2000,
    }));

  return {
    async inpaint(image, mask, opts = {}) {
      if (closed) throw new AppError('engine', 'the LaMa inpainter is closed');
      validate(image, mask);
      if (opts.signal?.aborted) throw new AppError('cancelled', 'LaMa inpainting was cancelled');
      const own = opts.transferInput === true;
      const job: LamaJob = {
        kind: 'inpaint',
        width: image.width,
        height: image.height,
        channels: image.channels as 3 | 4,
        image: own ? image.data : image.data.slice(),
        mask: own ? mask.data : mask.data.slice(),
        ...session,
        hd: options.hd ?? {},
      };
      const transfer = [...new Set([job.image.buffer, job.mask.buffer])].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      const controller = new AbortController();
      const forward = () => controller.abort();
      opts.signal?.addEventListener('abort', forward, { once: true });
      running.add(controller);
      try {
        const r = await getPool().run<LamaJob, LamaJobResult>(job, { signal: controller.signal, onProgress: opts.onProgress, transfer });
        if (!closed) provider = r.provider;
        return { data: r.image, width: image.width, height: image.height, channels: image.channels, strategy: r.strategy, windows: r.windows, filledPixels: r.filledPixels, provider: r.provider };
      } finally {
        running.delete(controller);
        opts.signal?.removeEventListener('abort', forward);
      }
    },

    async load(opts = {}) {
      if (closed) throw new AppError('engine', 'the LaMa inpainter is closed');
      const job: LamaLoadJob = { kind: 'load', ...session };
      const r = await getPool().run<LamaLoadJob, LamaLoadResult>(job, opts.signal ? { signal: opts.signal } : {});
      if (!closed) provider = r.provider;
      return r.provider;
    },

    loaded: () => provider,

    async close() {
      closed = true;
      provider = null;
      for (const controller of running) controller.abort();
      if (!pool) return;
      // The release job waits for native work in the worker (as a drain would), then frees the
      // network explicitly: the memory is given back now, not whenever the worker's heap is collected.
      await drainAndClose(pool, true, DRAIN_LIMIT_MS, { kind: 'release' });
    },
  };
}

function validate(image: RawImage, mask: RawImage): void {
  if (image.channels !== 3 && image.channels !== 4) throw new AppError('bad-image', `LaMa needs an RGB or RGBA image, not ${image.channels} channels`);
  if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * image.channels) {
    throw new AppError('bad-image', `the image data (${image.data.length} bytes) does not match ${image.width}×${image.height}×${image.channels}`);
  }
  if (mask.channels !== 1 || mask.width !== image.width || mask.height !== image.height || mask.data.length !== mask.width * mask.height) {
    throw new AppError('size-mismatch', `the mask must be ${image.width}×${image.height} with one channel, not ${mask.width}×${mask.height}×${mask.channels}`);
  }
}
