// Worker-thread entry of the embedded engine's cut-out. Bundled to dist/main/cutout-worker.mjs.
import { AppError } from '../../../preload/contract/index.js';
import type { CutoutDrainJob, CutoutJob, CutoutJobResult, CutoutLoadJob } from '../cutout/cutout-job.js';
import { classicalAlpha, finishCutout } from '../cutout/cutout-pipeline.js';
import { checkForeground } from '../cutout/foreground-check.js';
import { NativeWork, untilCancelled } from './native-work.js';
import { loadSegmentationModel, type SegmentationModel } from '../cutout/segment-model.js';
import { serveJobs } from './serve-jobs.js';

// The network is loaded once per worker (a few seconds: 44–88 MB) and reused by every job.
let model: Promise<SegmentationModel> | null = null;
let modelKey = '';
const native = new NativeWork();
// Measured duration of the last network run: drives the estimated progress of the next one.
let lastRunMs = 10_000;

function getModel(job: CutoutJob | CutoutLoadJob): Promise<SegmentationModel> {
  const key = `${job.model}|${job.threads ?? ''}|${job.modelPackage ?? ''}`;
  if (!model || key !== modelKey) {
    void model?.then((m) => native.track(m.release())).catch(() => {});
    modelKey = key;
    const loading = native.track(loadSegmentationModel(job.model, job.threads, job.modelPackage));
    model = loading;
    loading.catch(() => {
      if (model === loading) model = null;
    });
  }
  return model;
}

serveJobs<CutoutJob | CutoutLoadJob | CutoutDrainJob, CutoutJobResult | null>(async (job, control) => {
  if (job.kind === 'drain') {
    await native.idle();
    return { result: null };
  }
  if (job.kind === 'load') {
    await untilCancelled(getModel(job), control.isCancelled, 'the cut-out');
    return { result: null };
  }
  const { width, height, rgb } = job;
  const ctl = { isCancelled: control.isCancelled, progress: (p: number, m?: string) => control.progress(p, m) };
  await untilCancelled(native.idle(), control.isCancelled, 'the cut-out');
  let coarse: Float32Array;
  if (job.selection) {
    // The user said where the product is: no segmentation and no foreground guess, only refinement.
    const sel = job.selection;
    coarse = new Float32Array(sel.length);
    for (let i = 0; i < sel.length; i++) coarse[i] = sel[i]! / 255;
    control.progress(0.5, 'refining the selection');
    const out = finishCutout(rgb, coarse, width, height, job.alpha, ctl);
    return { result: out, transfer: [out.rgba.buffer as ArrayBuffer, out.mask.buffer as ArrayBuffer] };
  }
  // Before the network: on a blank frame it would still return a blob (a made-up cut-out).
  checkForeground(rgb, job.alpha, width, height);
  if (job.method === 'model') {
    control.progress(0.02, 'loading the segmentation model');
    const m = await untilCancelled(getModel(job), control.isCancelled, 'the cut-out');
    if (control.isCancelled()) throw new AppError('cancelled', 'the cut-out was cancelled');
    control.progress(0.1, 'segmenting');
    // The run is one opaque native call: progress is an estimate from the previous run's duration.
    const started = Date.now();
    const tick = setInterval(() => control.progress(0.1 + 0.65 * Math.min(0.95, (Date.now() - started) / lastRunMs), 'segmenting'), 200);
    try {
      coarse = await untilCancelled(native.track(m.predict(rgb, width, height)), control.isCancelled, 'the cut-out');
      lastRunMs = Date.now() - started;
    } finally {
      clearInterval(tick);
    }
    control.progress(0.76, 'segmented');
  } else {
    coarse = classicalAlpha(rgb, width, height, { isCancelled: ctl.isCancelled, progress: (p, m) => control.progress(p * 0.75, m) });
  }
  const out = finishCutout(rgb, coarse, width, height, job.alpha, ctl);
  return { result: out, transfer: [out.rgba.buffer as ArrayBuffer, out.mask.buffer as ArrayBuffer] };
});
