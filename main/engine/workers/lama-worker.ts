// Worker-thread entry of the LaMa erase stage. Bundled to dist/main/lama-worker.mjs.
import { AppError } from '../../../preload/contract/index.js';
import type { LamaDrainJob, LamaJob, LamaJobResult, LamaLoadJob, LamaLoadResult, LamaReleaseJob, LamaSessionKey } from '../lama/lama-job.js';
import { loadLamaSession, type LamaSession } from '../lama/lama-session.js';
import { runLama } from '../lama/run-lama.js';
import { NativeWork, untilCancelled } from './native-work.js';
import { serveJobs } from './serve-jobs.js';

const WHAT = 'LaMa inpainting';

// The network is loaded once per worker (LaMa: ~1–2 s for 208 MB) and reused by every job.
let session: Promise<LamaSession> | null = null;
let sessionKey = '';

// Native work still running: a load, or a network run a cancelled job stopped waiting for. It must end
// before the worker is terminated (see LamaDrainJob), and before the next job starts.
const native = new NativeWork();
const track = <T>(work: Promise<T>): Promise<T> => native.track(work);
const nativeIdle = () => native.idle();

function getSession(job: LamaSessionKey): Promise<LamaSession> {
  const key = JSON.stringify([job.modelPath, job.device, job.threads ?? 0, job.contract]);
  if (!session || key !== sessionKey) {
    void session?.then((s) => track(s.release())).catch(() => {});
    sessionKey = key;
    const loading = track(loadLamaSession(job.modelPath, job.contract, job.device, job.threads));
    session = loading;
    loading.catch(() => {
      if (session === loading) session = null;
    });
  }
  return session;
}

/** Releases the loaded network (after any native work still running on it). */
async function release(): Promise<void> {
  await nativeIdle();
  const s = session;
  session = null;
  sessionKey = '';
  const loaded = await s?.catch(() => null);
  if (loaded) await track(loaded.release());
}

serveJobs<LamaJob | LamaLoadJob | LamaReleaseJob | LamaDrainJob, LamaJobResult | LamaLoadResult | null>(async (job, control) => {
  if (job.kind === 'drain') {
    await nativeIdle();
    return { result: null };
  }
  if (job.kind === 'release') {
    await release();
    return { result: null };
  }
  if (job.kind === 'load') {
    await untilCancelled(nativeIdle(), control.isCancelled, WHAT);
    const s = await untilCancelled(getSession(job), control.isCancelled, WHAT);
    return { result: { provider: s.provider } };
  }
  await untilCancelled(nativeIdle(), control.isCancelled, WHAT);
  const s = await untilCancelled(getSession(job), control.isCancelled, WHAT);
  const image = { data: job.image, width: job.width, height: job.height, channels: job.channels };
  const mask = { data: job.mask, width: job.width, height: job.height, channels: 1 as const };
  const stats = await runLama(
    image,
    mask,
    (input, holes) => {
      // Not even starting a run once cancelled keeps native work (which must not be cut short) minimal.
      if (control.isCancelled()) return Promise.reject(new AppError('cancelled', 'LaMa inpainting was cancelled'));
      return untilCancelled(track(s.infer(input, holes)), control.isCancelled, WHAT);
    },
    job.contract,
    job.hd,
    { isCancelled: control.isCancelled, onProgress: (p) => control.progress(p) },
  );
  return { result: { image: image.data, provider: s.provider, ...stats }, transfer: [image.data.buffer as ArrayBuffer] };
});
