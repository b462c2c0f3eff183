import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import type { JobRecord, JobScheduler } from '../scheduler/scheduler-types.js';
import type { ScheduledTarget } from './scheduler-handlers.js';
import type { JobContext, JobOutcome } from './job-runner.js';

/**
 * Where the editor's jobs run when a scheduler is there: asked once per job (the app's active engine
 * may change between jobs). Its workspace is a host folder the scheduler's engine sees (the
 * container's bound workspace, or any folder for the embedded engine).
 */
export type ScheduledTargetSource = () => ScheduledTarget;

/**
 * The editor's erase as an interactive one-stage job of the stage scheduler: it goes ahead of batch
 * work at the next stage boundary, shows in the Jobs panel, and runs on whatever engine the scheduler
 * drives. Files, not bytes: the two assets are linked into the workspace, the result is read back
 * into the asset store, and the job's folder is removed afterwards.
 */
export async function runScheduledErase(
  target: ScheduledTarget,
  store: AssetStore,
  req: { image: string; mask: string; method?: string | undefined },
  { signal, progress }: JobContext,
): Promise<JobOutcome> {
  return inJobFolder(target.workspace, 'erase', async (dir) => {
    const image = await place(store, req.image, dir, 'image');
    const mask = await place(store, req.mask, dir, 'mask');
    const out = join(dir, 'erased.png');
    if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
    const method = req.method;
    const submitted = await target.scheduler.submit({
      title: `Erase${method ? ` (${method})` : ''}`,
      priority: 'interactive',
      // The result goes into the asset store and the job folder is removed: no paths to offer.
      outputsKept: false,
      // LaMa names its model, so the scheduler budgets and loads it like any other (the method stays
      // in params: that is what the engine runs).
      stages: [{ id: 'erase', kind: 'inpaint', model: method === 'lama' ? 'lama' : null, inputs: { image, mask }, outputs: { image: out }, ...(method ? { params: { method } } : {}) }],
    }).catch((e: unknown) => {
      // An engine lists LaMa only once it is installed where that engine reads its models.
      if (method === 'lama' && e instanceof AppError && e.message.includes('needs model "lama"')) {
        throw new AppError('not-found', `LaMa is not installed for the ${target.engine} engine: run "adstudio models download lama" (or Download in the Erase method panel), then erase again`);
      }
      throw e;
    });
    const finished = await follow(target.scheduler, submitted, signal, progress);
    const stage = finished.stages[0];
    if (finished.status === 'cancelled') throw new AppError('cancelled', 'Cancelled');
    if (finished.status !== 'done' || !stage) throw jobFailure(finished.error ?? stage?.error, 'The erase failed');
    const result = await store.put(new Uint8Array(await readFile(stage.outputs.image ?? out)), 'image');
    return { result, madeBy: stage.madeBy ?? `inpaint:${method ?? 'default'}` };
  });
}

/** Runs `fn` in a fresh folder of the workspace (`<kind>/<uuid>`), removed afterwards however `fn` ends. */
export async function inJobFolder<T>(workspace: string, kind: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(workspace, kind, randomUUID());
  await mkdir(dir, { recursive: true });
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What a scheduler job that did not end done throws: its error's code (cancelled stays cancelled) and message. */
export function jobFailure(error: { code?: string | undefined; message?: string | undefined } | null | undefined, fallback: string, show: (message: string) => string = (m) => m): AppError {
  return new AppError(error?.code === 'cancelled' ? 'cancelled' : asCode(error?.code), show(error?.message ?? fallback));
}

/** The asset's file in the job folder: a hard link when possible (no copy), else a copy. */
export async function place(store: AssetStore, hash: string, dir: string, name: string): Promise<string> {
  const file = await store.file(hash);
  if (!file) throw new AppError('not-found', `The ${name} is no longer in the asset store`);
  const target = join(dir, `${name}${extname(file.path) || '.png'}`);
  await link(file.path, target).catch(() => copyFile(file.path, target));
  return target;
}

/**
 * Resolves with the job's final record; progress follows the scheduler's (`describe` may name what
 * the job is doing from its record); aborting cancels the job.
 */
export function follow(
  scheduler: JobScheduler,
  job: JobRecord,
  signal: AbortSignal,
  progress: JobContext['progress'],
  describe: (record: JobRecord) => string | undefined = (r) => (r.stages[0]?.status === 'waiting' ? 'Waiting for the engine' : undefined),
): Promise<JobRecord> {
  return new Promise<JobRecord>((resolve, reject) => {
    const ended = (r: JobRecord) => r.status === 'done' || r.status === 'failed' || r.status === 'cancelled';
    let settled = false;
    const finish = (r: JobRecord) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const unsubscribe = scheduler.subscribe((event) => {
      if (event.type !== 'job' || event.job.id !== job.id) return;
      if (ended(event.job)) finish(event.job);
      else progress(event.job.progress, describe(event.job));
    });
    const onAbort = () => {
      scheduler.cancel(job.id).catch(() => undefined);
      if (settled) return;
      settled = true;
      unsubscribe();
      reject(new AppError('cancelled', 'Cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // It may have ended between submit() and subscribe().
    const now = scheduler.get(job.id);
    if (now && ended(now)) finish(now);
    if (signal.aborted) onAbort();
  });
}

export function asCode(code: string | undefined): AppError['code'] {
  const known = ['bad-request', 'bad-image', 'too-large', 'size-mismatch', 'not-found', 'unsupported', 'io', 'engine', 'engine-busy'] as const;
  return (known as readonly string[]).includes(code ?? '') ? (code as AppError['code']) : 'engine';
}
