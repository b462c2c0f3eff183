import { AppError, type EventSink, type Handlers, type ModelInfoPayload } from '../../../preload/contract/index.js';
import { JobRunner } from '../jobs/job-runner.js';
import { formatBytes } from './disk-space.js';
import { openModelStore } from './index.js';
import type { ModelProgress, ModelStatus, ModelStore } from './model-store.js';

/** What the services need of the model manager (openModelStore() gives the real one). */
export type ModelsPort = Pick<ModelStore, 'list' | 'status' | 'download'>;

type ModelHandlers = Pick<Handlers, 'listModels' | 'startModelDownload'>;

export interface ModelJobs {
  handlers: ModelHandlers;
  /** True when `jobId` is one of these downloads (cancelJob asks each kind of job in turn). */
  has(jobId: string): boolean;
  cancel(jobId: string): { cancelled: boolean };
  /** Cancels every download (the bytes received stay for a resume) and waits until each has ended. */
  dispose(): Promise<void>;
}

interface Running {
  jobId: string;
  cancelled: boolean;
  /** Settles when the download has really stopped (its lock released). */
  ended: Promise<void>;
}

const MB = 1024 * 1024;

/**
 * The editor's model channels over an optional model store: listModels, and downloads as jobs
 * (jobProgress with "41 MB of 208 MB", one jobFinished, cancel through cancelJob). Without a store
 * the list is empty and a download is 'unsupported'. One download per model at a time: a second
 * request while it runs answers the same job id.
 */
export function modelHandlers(store: ModelsPort | undefined, emit: EventSink): ModelJobs {
  const runner = new JobRunner(emit, 'The model download failed');
  const running = new Map<string, Running>();
  const jobOf = (jobId: string) => [...running.values()].find((r) => r.jobId === jobId);

  const start = async (id: string): Promise<{ jobId: string }> => {
    if (!store) throw new AppError('unsupported', 'Models cannot be downloaded here: this adstudio runs without a model folder. Use "adstudio models download" on the machine that runs the engine.');
    if (runner.closed) throw new AppError('cancelled', 'adstudio is shutting down; the download was not started');
    const current = running.get(id);
    if (current && !current.cancelled) return { jobId: current.jobId };
    // A download being cancelled still holds the file; the new one resumes from what it kept.
    if (current) await current.ended;
    const total = store.status(id).sizeBytes; // unknown ids fail here, before a job exists
    let release!: () => void;
    const entry: Running = { jobId: '', cancelled: false, ended: new Promise<void>((r) => (release = r)) };
    const { jobId } = runner.launch(async ({ signal, progress }) => {
      try {
        const status = await store.download(id, { signal, onProgress: (p) => progress(Math.min(p.fraction, 0.999), progressMessage(p, total)) });
        if (status.state !== 'installed') throw new AppError('io', `the ${status.label} model is still not usable after the download (${status.detail ?? status.state}); try again`);
        return {};
      } finally {
        if (running.get(id) === entry) running.delete(id);
        release();
      }
    });
    entry.jobId = jobId;
    running.set(id, entry);
    return { jobId };
  };

  return {
    handlers: {
      async listModels() {
        if (!store) return [];
        return store.list().map((s) => toModelInfo(s, running.get(s.id)));
      },
      async startModelDownload({ id }) {
        return start(id);
      },
    },
    has: (jobId) => runner.has(jobId),
    cancel(jobId) {
      const result = runner.cancel(jobId);
      const entry = jobOf(jobId);
      if (result.cancelled && entry) entry.cancelled = true;
      return result;
    },
    dispose: () => runner.dispose(),
  };
}

/**
 * The model store of this environment for the services (see openModelStore). A broken
 * ADSTUDIO_MODELS_REGISTRY is reported through `warn` and means "no model store" — as the erase
 * engine treats it — rather than an editor that does not start.
 */
export function openServicesModelStore(env: Record<string, string | undefined> = process.env, warn: (message: string) => void = console.warn): ModelStore | undefined {
  try {
    return openModelStore({ env });
  } catch (e) {
    warn(`models: ${(e as Error).message}; downloading models from the editor is off`);
    return undefined;
  }
}

/** "41 MB of 208 MB" (downloading), "Checking 41 MB of 208 MB" (re-hashing a file already there). */
export function progressMessage(p: ModelProgress, totalBytes: number): string {
  const done = `${formatBytes(Math.round(p.fraction * totalBytes))} of ${formatBytes(totalBytes)}`;
  if (p.phase === 'verify') return `Checking ${done}`;
  return done;
}

export function toModelInfo(s: ModelStatus, download?: { jobId: string; cancelled: boolean }): ModelInfoPayload {
  return {
    id: s.id,
    title: s.label,
    licence: s.license,
    bytes: s.sizeBytes,
    installed: s.state === 'installed',
    state: s.state,
    ...(s.partialBytes > 0 ? { partialBytes: s.partialBytes } : {}),
    ...(s.ramBytes > 0 ? { ramMb: Math.round(s.ramBytes / MB) } : {}),
    ...(s.vramBytes > 0 ? { vramMb: Math.round(s.vramBytes / MB) } : {}),
    ...(download && !download.cancelled ? { downloadJobId: download.jobId } : {}),
  };
}
