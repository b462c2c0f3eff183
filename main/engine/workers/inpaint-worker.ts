// Worker-thread entry of the embedded engine's erase stage. Bundled to dist/main/inpaint-worker.mjs.
import { inpaintPixels } from '../inpaint/inpaint-pixels.js';
import { getFillMethod } from '../inpaint/methods.js';
import type { InpaintJob, InpaintJobResult } from './inpaint-job.js';
import { serveJobs } from './serve-jobs.js';

serveJobs<InpaintJob, InpaintJobResult>((job, control) => {
  const image = { data: job.image, width: job.width, height: job.height, channels: job.channels };
  const mask = { data: job.mask, width: job.width, height: job.height, channels: 1 as const };
  const stats = inpaintPixels(image, mask, getFillMethod(job.method), {
    isCancelled: control.isCancelled,
    onProgress: (p) => control.progress(p),
    ...(job.part ? { part: job.part } : {}),
  });
  if (job.part) return { result: stats };
  const buffer = image.data.buffer as ArrayBuffer;
  return { result: { image: image.data, ...stats }, transfer: [buffer] };
});
