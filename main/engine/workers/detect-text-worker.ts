// Worker-thread entry of the embedded engine's text detection. Bundled to dist/main/detect-text-worker.mjs.
import { AppError } from '../../../preload/contract/index.js';
import type { DetectJob, DetectJobResult } from '../detect-text/detect-job.js';
import { detectText } from '../detect-text/detect-pipeline.js';
import { loadOnnxDetector, type OnnxDetector } from '../detect-text/onnx-detector.js';
import type { InferFn } from '../detect-text/probability-map.js';
import { serveJobs } from './serve-jobs.js';

// The network is loaded once per worker (≈0.2 s) and reused by every job.
let detector: Promise<OnnxDetector> | null = null;
let detectorKey = '';
// A network run abandoned by a cancelled job keeps the CPU busy until it ends; the next job waits for it.
let abandoned: Promise<unknown> = Promise.resolve();

function getDetector(job: DetectJob): Promise<OnnxDetector> {
  const key = `${job.modelPath ?? ''}|${job.threads ?? ''}`;
  if (!detector || key !== detectorKey) {
    const previous = detector;
    void previous?.then((d) => d.release()).catch(() => {});
    detectorKey = key;
    detector = loadOnnxDetector(job.modelPath, job.threads);
    detector.catch(() => {
      detector = null;
    });
  }
  return detector;
}

/** Resolves like `run`, but rejects with 'cancelled' within a few ms of the job being cancelled. */
function untilCancelled<T>(run: Promise<T>, isCancelled: () => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setInterval(() => {
      if (!isCancelled()) return;
      clearInterval(timer);
      reject(new AppError('cancelled', 'text detection was cancelled'));
    }, 5);
    run.then(
      (v) => {
        clearInterval(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearInterval(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

serveJobs<DetectJob, DetectJobResult>(async (job, control) => {
  await abandoned;
  const det = await untilCancelled(getDetector(job), control.isCancelled);
  const infer: InferFn = (input, width, height) => {
    const run = det.infer(input, width, height);
    abandoned = run.catch(() => {});
    return untilCancelled(run, control.isCancelled);
  };
  const image = { data: job.data, width: job.width, height: job.height, channels: job.channels };
  const result = await detectText(image, infer, job.options, control);
  const transfer = [result.mask.data.buffer as ArrayBuffer, ...result.regionMasks.map((m) => m.data.buffer as ArrayBuffer)];
  return { result: { mask: result.mask.data, regions: result.regions, regionMasks: result.regionMasks }, transfer };
});
