// Worker-thread entry of the embedded engine's compose stage. Bundled to dist/main/compose-worker.mjs.
import type { ComposeJob, ComposeJobResult } from '../compose/compose-job.js';
import { composeLayers } from '../compose/compose-pipeline.js';
import { serveJobs } from './serve-jobs.js';

serveJobs<ComposeJob, ComposeJobResult>((job, control) => {
  const result = composeLayers(job, { isCancelled: control.isCancelled, progress: (p, m) => control.progress(p, m) });
  return { result, transfer: [result.rgb.buffer as ArrayBuffer] };
});
