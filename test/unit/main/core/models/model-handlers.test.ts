import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, eventChannels, invokeChannels, type EventName, type EventPayload, type EventSink } from '../../../../../preload/contract/index.js';
import { ModelStore, repoLayout } from '../../../../../main/core/models/index.js';
import { modelHandlers, type ModelJobs } from '../../../../../main/core/models/model-handlers.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import { createEmbeddedInpaintEngine } from '../../../../../main/engine/embedded-inpaint-engine.js';
import { tinyLamaModel, tinyLamaSpec } from '../../engine/lama/tiny-lama-model.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.js';

const MB = 1024 * 1024;
// A real (tiny) LaMa-shaped ONNX model, padded to 3 MB so a download has a middle to watch and cut.
const MODEL = tinyLamaModel({ padBytes: 3 * MB });
const SPEC = tinyLamaSpec(MODEL);
const tempDir = useTempDirs();

let hub: LoopbackHub;
beforeAll(async () => {
  hub = await startLoopbackHub();
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.requests.length = 0;
  hub.put(`${SPEC.repo.org}/${SPEC.repo.name}`, SPEC.repo.revision, SPEC.files[0]!.path, MODEL);
  hub.throttle(0, 0);
  hub.cutAfter(0, 0);
});

/** Events as a transport would see them, checked against the contract's schemas. */
function eventLog() {
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const sink: EventSink = (event, payload) => {
    eventChannels[event].parse(payload);
    events.push({ event, payload });
  };
  const of = <E extends EventName>(event: E, jobId: string) =>
    events.filter((e) => e.event === event && (e.payload as { jobId?: string }).jobId === jobId).map((e) => e.payload as EventPayload<E>);
  const finished = (jobId: string, timeoutMs = 20_000) =>
    new Promise<EventPayload<'jobFinished'>>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const end = of('jobFinished', jobId)[0];
        if (end) resolve(end);
        else if (Date.now() - started > timeoutMs) reject(new Error(`job ${jobId} did not finish in ${timeoutMs} ms`));
        else setTimeout(poll, 10);
      };
      poll();
    });
  return { sink, events, of, finished };
}

async function makeStore(): Promise<ModelStore> {
  const dir = await tempDir();
  return new ModelStore({ hubDir: join(dir, 'hub'), hubUrl: hub.url, registry: [SPEC], retryDelayMs: 5 });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function withJobs(store: ModelStore | undefined, run: (jobs: ModelJobs, log: ReturnType<typeof eventLog>) => Promise<void>): Promise<void> {
  const log = eventLog();
  const jobs = modelHandlers(store, log.sink);
  try {
    await run(jobs, log);
  } finally {
    await jobs.dispose();
  }
}

describe('listModels / startModelDownload over a real model store and a loopback hub', () => {
  it('lists LaMa as not installed with its size, licence and footprint', async () => {
    await withJobs(await makeStore(), async (jobs) => {
      const list = invokeChannels.listModels.response.parse(await jobs.handlers.listModels(undefined));
      expect(list).toEqual([
        { id: 'lama', title: 'LaMa (big-lama, ONNX)', licence: 'Apache-2.0', bytes: MODEL.length, installed: false, state: 'missing', ramMb: 1400, vramMb: 1600 },
      ]);
    });
  });

  it('downloads as a job: rising progress saying "N MB of 3 MB", one jobFinished, then installed and intact', async () => {
    const store = await makeStore();
    hub.throttle(256 * 1024, 25);
    await withJobs(store, async (jobs, log) => {
      const { jobId } = invokeChannels.startModelDownload.response.parse(await jobs.handlers.startModelDownload({ id: 'lama' }));
      // Listed as downloading while it runs (a reloaded page follows it by this id).
      expect((await jobs.handlers.listModels(undefined))[0]?.downloadJobId).toBe(jobId);
      const end = await log.finished(jobId);
      expect(end).toEqual({ jobId, status: 'done' });

      const progress = log.of('jobProgress', jobId);
      const values = progress.map((p) => p.progress);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values.at(-1)).toBe(1);
      const middle = progress.filter((p) => p.progress > 0 && p.progress < 1);
      expect(middle.length).toBeGreaterThan(2);
      for (const p of middle) expect(p.message).toMatch(/^\d+ (kB|MB) of 3 MB$/);
      expect(log.of('jobFinished', jobId)).toHaveLength(1);

      const [info] = await jobs.handlers.listModels(undefined);
      expect(info).toMatchObject({ id: 'lama', installed: true, state: 'installed' });
      expect(info).not.toHaveProperty('downloadJobId');
      const file = store.status('lama').path!;
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(SPEC.files[0]!.sha256);
    });
  });

  it('a second request while the download runs answers the same job, and the file is fetched once', async () => {
    hub.throttle(256 * 1024, 20);
    await withJobs(await makeStore(), async (jobs, log) => {
      const a = await jobs.handlers.startModelDownload({ id: 'lama' });
      const b = await jobs.handlers.startModelDownload({ id: 'lama' });
      expect(b.jobId).toBe(a.jobId);
      expect((await log.finished(a.jobId)).status).toBe('done');
      expect(hub.requests.filter((r) => r.path.startsWith('/lfs/'))).toHaveLength(1);
    });
  });

  it('cancel midway ends the job as cancelled, leaves it not installed with the bytes kept, and a new download resumes', async () => {
    const store = await makeStore();
    hub.throttle(64 * 1024, 30);
    await withJobs(store, async (jobs, log) => {
      const { jobId } = await jobs.handlers.startModelDownload({ id: 'lama' });
      await until(() => log.of('jobProgress', jobId).some((p) => p.progress > 0.05));
      expect(jobs.has(jobId)).toBe(true);
      expect(jobs.cancel(jobId)).toEqual({ cancelled: true });
      expect(jobs.cancel(jobId)).toEqual({ cancelled: false });
      expect(await log.finished(jobId)).toEqual({ jobId, status: 'cancelled' });

      const [info] = await jobs.handlers.listModels(undefined);
      expect(info).toMatchObject({ installed: false, state: 'partial' });
      expect(info!.partialBytes).toBeGreaterThan(0);
      expect(info!.partialBytes).toBeLessThan(MODEL.length);
      expect(store.status('lama').path).toBeNull();

      hub.throttle(0, 0);
      const again = await jobs.handlers.startModelDownload({ id: 'lama' });
      expect(again.jobId).not.toBe(jobId);
      expect((await log.finished(again.jobId)).status).toBe('done');
      // The second download asked only for the rest.
      expect(hub.requests.filter((r) => r.path.startsWith('/lfs/')).at(-1)).toMatchObject({ status: 206, range: `bytes=${info!.partialBytes}-` });
      expect(store.status('lama').state).toBe('installed');
    });
  });

  it('a file that does not match the published checksum fails the job with a clear message and installs nothing', async () => {
    const store = await makeStore();
    const wrong = Buffer.from(MODEL);
    wrong.writeUInt8(wrong.readUInt8(wrong.length - 1) ^ 0xff, wrong.length - 1);
    hub.put(`${SPEC.repo.org}/${SPEC.repo.name}`, SPEC.repo.revision, SPEC.files[0]!.path, wrong);
    await withJobs(store, async (jobs, log) => {
      const { jobId } = await jobs.handlers.startModelDownload({ id: 'lama' });
      const end = await log.finished(jobId);
      expect(end.status).toBe('failed');
      expect(end.error?.code).toBe('io');
      expect(end.error?.message).toMatch(/does not match the published checksum/);
      expect(store.status('lama').state).toBe('missing');
      expect(readdirBlobs(store)).toEqual([]);
    });
  });

  it('an unknown model is refused before any job exists', async () => {
    await withJobs(await makeStore(), async (jobs, log) => {
      const err = await jobs.handlers.startModelDownload({ id: 'sdxl' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('not-found');
      expect((err as AppError).message).toMatch(/unknown model "sdxl"; known models: lama/);
      expect(log.events).toEqual([]);
    });
  });

  it('without a model store: nothing is listed and a download is unsupported', async () => {
    await withJobs(undefined, async (jobs) => {
      expect(await jobs.handlers.listModels(undefined)).toEqual([]);
      const err = await jobs.handlers.startModelDownload({ id: 'lama' }).catch((e: unknown) => e);
      expect((err as AppError).code).toBe('unsupported');
    });
  });
});

describe('the model channels inside createServices', () => {
  it('listInpaintMethods says LaMa is not installed, a download through the services installs it, cancelJob reaches downloads', async () => {
    const dir = await tempDir();
    const store = new ModelStore({ hubDir: join(dir, 'hub'), hubUrl: hub.url, registry: [SPEC], retryDelayMs: 5 });
    const services = await createServices({
      mode: 'browser',
      version: '0.1.0-test',
      osLocale: 'ko-KR',
      paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
      inpaintEngine: createEmbeddedInpaintEngine({ lama: { store } }),
      models: store,
    });
    const log = eventLog();
    services.onEvent(log.sink);
    const h = services.handlers;
    try {
      const lama = async () => invokeChannels.listInpaintMethods.response.parse(await h.listInpaintMethods(undefined)).find((m) => m.id === 'lama');
      expect(await lama()).toEqual({ id: 'lama', label: 'LaMa (AI)', isDefault: false, model: 'lama', installed: false });
      // The built-in methods carry no model fields.
      expect((await h.listInpaintMethods(undefined)).find((m) => m.isDefault)).not.toHaveProperty('model');

      hub.throttle(64 * 1024, 30);
      const first = await h.startModelDownload({ id: 'lama' });
      await until(() => log.of('jobProgress', first.jobId).some((p) => p.progress > 0));
      expect(await h.cancelJob({ jobId: first.jobId })).toEqual({ cancelled: true });
      expect((await log.finished(first.jobId)).status).toBe('cancelled');
      expect((await lama())?.installed).toBe(false);

      hub.throttle(0, 0);
      const second = await h.startModelDownload({ id: 'lama' });
      expect((await log.finished(second.jobId)).status).toBe('done');
      expect((await lama())?.installed).toBe(true);
      expect(await h.cancelJob({ jobId: second.jobId })).toEqual({ cancelled: false });
    } finally {
      await services.dispose();
    }
  });
});

function readdirBlobs(store: ModelStore): string[] {
  const dir = repoLayout(store.hubDir, SPEC).blobsDir;
  return existsSync(dir) ? readdirSync(dir) : [];
}
