// Worker-thread entry of the embedded engine's text detection. Bundled to dist/main/detect-text-worker.mjs.
import { AppError } from '../../../preload/contract/index.js';
import type { DetectJob, DetectJobResult, DrainJob } from '../detect-text/detect-job.js';
import { detectText } from '../detect-text/detect-pipeline.js';
import { loadOnnxDetector, type OnnxDetector } from '../detect-text/onnx-detector.js';
import type { InferFn } from '../detect-text/probability-map.js';
import { NativeWork, untilCancelled } from './native-work.js';
import { serveJobs } from './serve-jobs.js';

const WHAT = 'text detection';

// The network is loaded once per worker (≈0.2 s) and reused by every job.
let detector: Promise<OnnxDetector> | null = null;
let detectorKey = '';

// Native work still running: a load, or a network run that a cancelled job stopped waiting for. It
// must end before the worker is terminated (see DrainJob), and before the next job starts (CPU).
const native = new NativeWork();
const track = <T>(work: Promise<T>): Promise<T> => native.track(work);
const nativeIdle = () => native.idle();

function getDetector(job: DetectJob): Promise<OnnxDetector> {
  const key = `${job.modelPath ?? ''}|${job.threads ?? ''}`;
  if (!detector || key !== detectorKey) {
    void detector?.then((d) => track(d.release())).catch(() => {});
    detectorKey = key;
    const loading = track(loadOnnxDetector(job.modelPath, job.threads));
    detector = loading;
    loading.catch(() => {
      if (detector === loading) detector = null;
    });
  }
  return detector;
}

serveJobs<DetectJob | DrainJob, DetectJobResult | null>(async (job, control) => {
  if (job.kind === 'drain') {
    await nativeIdle();
    return { result: null };
  }
  await untilCancelled(nativeIdle(), control.isCancelled, WHAT);
  const det = await untilCancelled(getDetector(job), control.isCancelled, WHAT);
  const infer: InferFn = (input, width, height) => {
    // Not even starting a run once cancelled keeps native work (which must not be cut short) minimal.
    if (control.isCancelled()) return Promise.reject(new AppError('cancelled', 'text detection was cancelled'));
    return untilCancelled(track(det.infer(input, width, height)), control.isCancelled, WHAT);
  };
  const image = { data: job.data, width: job.width, height: job.height, channels: job.channels };
  const result = await detectText(image, infer, job.options, control);
  const transfer = [result.mask.data.buffer as ArrayBuffer, ...result.regionMasks.map((m) => m.data.buffer as ArrayBuffer)];
  return { result: { mask: result.mask.data, regions: result.regions, regionMasks: result.regionMasks }, transfer };
});
