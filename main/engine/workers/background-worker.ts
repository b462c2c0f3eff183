// Worker-thread entry of the embedded engine's procedural backgrounds. Bundled to dist/main/background-worker.mjs.
import type { BackgroundJob, BackgroundJobResult } from '../background/background-job.js';
import { renderBackdrop } from '../background/render.js';
import { serveJobs } from './serve-jobs.js';

serveJobs<BackgroundJob, BackgroundJobResult>((job, control) => {
  control.progress(0.05, job.preset);
  const b = renderBackdrop(job, control.isCancelled);
  return { result: { rgb: b.rgb, harmony: b.harmony, base: b.base, horizonY: b.horizonY, groundY: b.groundY }, transfer: [b.rgb.buffer as ArrayBuffer] };
});
