import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryJobStore } from '../../../../../main/core/scheduler/job-store.js';
import type { CatalogModel } from '../../../../../main/core/scheduler/model-catalog.js';
import { createScheduler, type SchedulerRuntime } from '../../../../../main/core/scheduler/scheduler.js';
import type { JobRecord } from '../../../../../main/core/scheduler/scheduler-types.js';
import { createSimulatedEngine, type SimulatedEngine } from '../../../../../main/engine/simulated/simulated-engine.js';
import type { ModelInfo } from '../../../../../main/engine/stage-engine.js';
import { startEngineProtocolServer, type EngineProtocolServer } from '../../../../../main/server/engine-protocol/engine-server.js';
import type { StageRunRecord } from '../../../../../main/server/engine-protocol/protocol-types.js';
import { readEvents, startFixture, TOKEN, type Fixture } from './server-fixture.js';

/**
 * `adstudio serve` arbitrates between remote clients of /v1/models/{id}/load|unload and /v1/stages
 * and its own scheduler (/v1/jobs), on the simulated-VRAM engine: a 16 GB budget on a 24 GB card, so
 * a load past the budget would still fit the card (the engine alone would not refuse it).
 */

const MODELS: CatalogModel[] = [
  { id: 'big', label: 'Big', device: 'gpu', stages: ['refine'], footprintMb: 9000, loadMs: 10, unloadMs: 5, run: { refine: { ms: 400, steps: 20 } }, source: 'test' },
  { id: 'mid', label: 'Mid', device: 'gpu', stages: ['background'], footprintMb: 6000, loadMs: 10, unloadMs: 300, run: { background: { ms: 100, steps: 5 } }, source: 'test' },
  { id: 'small', label: 'Small', device: 'gpu', stages: ['inpaint'], footprintMb: 3000, loadMs: 5, unloadMs: 5, run: { inpaint: { ms: 20, steps: 1 } }, source: 'test' },
  { id: 'wide', label: 'Wide', device: 'gpu', stages: ['cutout'], footprintMb: 8000, loadMs: 10, unloadMs: 5, run: { cutout: { ms: 20, steps: 1 } }, source: 'test' },
];
const BUDGET_MB = 16_000;

type StrictEngine = SimulatedEngine & { unloadsUnderRun: string[] };

/**
 * The simulated engine, plus a record of what a real engine would suffer: a model unloaded while a
 * stage runs on it (the simulated one does not notice). A test can then say "never".
 */
function strictEngine(): StrictEngine {
  const sim = createSimulatedEngine({ models: MODELS, totalMb: 24_000, budgetMb: BUDGET_MB, timeScale: 1, memoryLagMs: 0 });
  const runStage = sim.runStage.bind(sim);
  const unload = sim.unload.bind(sim);
  const running = new Map<string, number>();
  const unloadsUnderRun: string[] = [];
  sim.runStage = async (request, context) => {
    const m = request.model;
    if (m) running.set(m, (running.get(m) ?? 0) + 1);
    try {
      return await runStage(request, context);
    } finally {
      if (m) running.set(m, (running.get(m) ?? 1) - 1);
    }
  };
  sim.unload = async (id) => {
    if ((running.get(id) ?? 0) > 0) unloadsUnderRun.push(id);
    return unload(id);
  };
  return Object.assign(sim, { unloadsUnderRun });
}

interface Served {
  engine: StrictEngine;
  scheduler: SchedulerRuntime;
  server: EngineProtocolServer;
  api(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** What `adstudio serve --simulate-vram` wires up: one engine, its scheduler, the server, the scheduler as arbiter. */
async function serve(): Promise<Served> {
  const workspace = await mkdtemp(join(tmpdir(), 'adstudio-arbiter-'));
  const engine = strictEngine();
  const scheduler = await createScheduler({
    engine,
    store: createMemoryJobStore(),
    catalog: MODELS,
    memoryWait: { pollMs: 2, timeoutMs: 3_000 },
    healthPollMs: 0,
    retry: { baseMs: 10, maxMs: 50 },
    cancelGraceMs: 500,
  });
  const server = await startEngineProtocolServer({ host: '127.0.0.1', port: 0, token: TOKEN, version: 'test', engine, scheduler, arbiter: scheduler, workspace, log: () => undefined });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  return {
    engine,
    scheduler,
    server,
    api,
    post: (path, body = {}) => api(path, { method: 'POST', body: JSON.stringify(body) }),
    async close() {
      await server.close();
      await scheduler.close();
      await engine.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

let s: Served | null = null;
let fixture: Fixture | null = null;
afterEach(async () => {
  await s?.close();
  await fixture?.close();
  s = null;
  fixture = null;
});

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const runOf = async (res: Response) => ((await res.json()) as { run: StageRunRecord }).run;
const jobOf = async (res: Response) => ((await res.json()) as { job: JobRecord }).job;
const residentIds = async (x: Served) => ((await (await x.api('/v1/models')).json()) as { models: ModelInfo[] }).models.filter((m) => m.resident).map((m) => m.id).sort();
const startRun = (x: Served, model: string, kind: string, out: string) => x.post('/v1/stages', { kind, model, inputs: {}, outputs: { image: out } });

describe('adstudio serve: clients and the server’s own scheduler share one budget', () => {
  it('refuses a load past the budget with 409 saying what is resident, what fits and what to unload; loads nothing', async () => {
    s = await serve();
    expect((await s.post('/v1/models/big/load')).status).toBe(200);
    expect((await s.post('/v1/models/mid/load')).status).toBe(200);
    // 9 000 + 6 000 + 3 000 MB: past the 16 000 MB budget, though the 24 000 MB card would take it.
    const refused = await s.post('/v1/models/small/load');
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.code).toBe('engine-busy');
    expect(error.message).toContain('Loading Small (small) needs 2.9 GB of VRAM, but only 1.0 GB of the 15.6 GB budget is free');
    expect(error.message).toContain('Resident: big 8.8 GB (idle), mid 5.9 GB (idle).');
    expect(error.message).toContain('What fits now: up to 1.0 GB.');
    expect(error.message).toContain('Unload big first');
    expect(await residentIds(s)).toEqual(['big', 'mid']);
    expect(s.engine.stats().peakUsedMb).toBeLessThanOrEqual(BUDGET_MB);
    // The scheduler counts what the client loaded against the same budget.
    expect(s.scheduler.memory().resident.map((m) => m.id).sort()).toEqual(['big', 'mid']);

    // Done as told, the same load goes through.
    expect((await s.post('/v1/models/big/unload')).status).toBe(200);
    expect((await s.post('/v1/models/small/load')).status).toBe(200);
    expect(await residentIds(s)).toEqual(['mid', 'small']);
    expect(s.engine.stats().peakUsedMb).toBeLessThanOrEqual(BUDGET_MB);
  });

  it('refuses to unload a model a /v1/stages run is using, naming the run; unloads it once the run ended', async () => {
    s = await serve();
    await s.post('/v1/models/big/load');
    const started = await startRun(s, 'big', 'refine', 'out/run.png');
    expect(started.status).toBe(202);
    const run = await runOf(started);

    const refused = await s.post('/v1/models/big/unload');
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.message).toContain(`in use by stage run ${run.id}`);
    expect(error.message).toContain('cannot be unloaded');

    await expect.poll(async () => (await runOf(await s!.api(`/v1/stages/${run.id}`))).status, { timeout: 5_000 }).toBe('done');
    expect((await s.post('/v1/models/big/unload')).status).toBe(200);
    expect(await residentIds(s)).toEqual([]);
    expect(s.engine.unloadsUnderRun).toEqual([]);
  });

  it('refuses to unload a model a stage of the server’s own job is using, naming the job and stage', async () => {
    s = await serve();
    const submitted = await s.post('/v1/jobs', {
      title: 'Refine ad-01',
      priority: 'batch',
      stages: [{ id: 'refine', kind: 'refine', model: 'big', inputs: {}, outputs: { image: 'out/job.png' } }],
    });
    expect(submitted.status).toBe(202);
    const job = await jobOf(submitted);
    await expect.poll(async () => (await jobOf(await s!.api(`/v1/jobs/${job.id}`))).stages[0]!.status, { timeout: 5_000, interval: 5 }).toBe('running');

    const refused = await s.post('/v1/models/big/unload');
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain(`in use by job "Refine ad-01" (${job.id}), stage "refine"`);

    await expect.poll(async () => (await jobOf(await s!.api(`/v1/jobs/${job.id}`))).status, { timeout: 5_000 }).toBe('done');
    expect(s.engine.unloadsUnderRun).toEqual([]);
    expect((await s.post('/v1/models/big/unload')).status).toBe(200);
  });

  it('does not start a stage run on a model that is being unloaded (409), so no run starts on a vanishing model', async () => {
    s = await serve();
    await s.post('/v1/models/mid/load');
    const events = await s.api('/v1/events?types=model');
    const unloading = s.post('/v1/models/mid/unload');
    // The unload (300 ms in the simulated engine) has begun:
    await readEvents(events, (es) => es.some((e) => e.data.action === 'unload' && e.data.model === 'mid' && e.data.phase === 'start'));
    const refused = await startRun(s, 'mid', 'background', 'out/late.png');
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain('mid is being unloaded; load it again');
    expect((await unloading).status).toBe(200);
    expect(s.engine.stats().runs).toBe(0);
  });

  it('the server’s scheduler waits for a model a client’s run holds instead of evicting it under the run', async () => {
    s = await serve();
    await s.post('/v1/models/big/load');
    const run = await runOf(await startRun(s, 'big', 'refine', 'out/remote.png'));
    // 8 000 MB next to the client's 9 000 MB does not fit the 16 000 MB budget: big must go first.
    const job = await jobOf(
      await s.post('/v1/jobs', { title: 'Cut out', priority: 'interactive', stages: [{ id: 'cut', kind: 'cutout', model: 'wide', inputs: {}, outputs: { image: 'out/cut.png' } }] }),
    );
    await expect.poll(async () => (await jobOf(await s!.api(`/v1/jobs/${job.id}`))).status, { timeout: 5_000 }).toBe('done');
    const finishedRun = await runOf(await s.api(`/v1/stages/${run.id}`));
    expect(finishedRun.status).toBe('done');
    expect(s.engine.unloadsUnderRun).toEqual([]);
    const done = await jobOf(await s.api(`/v1/jobs/${job.id}`));
    expect(done.stages[0]!.startedAt!).toBeGreaterThanOrEqual(finishedRun.finishedAt!);
    expect(s.engine.stats().peakUsedMb).toBeLessThanOrEqual(BUDGET_MB);
    expect(await residentIds(s)).toEqual(['wide']);
  });
});

describe('engine server without a real scheduler (plain arbiter over the engine)', () => {
  it('still refuses to unload a model a stage run is using', async () => {
    fixture = await startFixture();
    await fixture.api('/v1/models/copy-gpu/load', { method: 'POST' });
    await writeFile(join(fixture.workspace, 'in.png'), 'pixels');
    const started = await fixture.api('/v1/stages', {
      method: 'POST',
      body: JSON.stringify({ kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 10, stepMs: 30 } }),
    });
    const run = ((await started.json()) as { run: StageRunRecord }).run;
    const refused = await fixture.api('/v1/models/copy-gpu/unload', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain(`Copy (GPU) (copy-gpu) is in use by stage run ${run.id}`);
    await expect.poll(async () => ((await (await fixture!.api(`/v1/stages/${run.id}`)).json()) as { run: StageRunRecord }).run.status).toBe('done');
    expect((await fixture.api('/v1/models/copy-gpu/unload', { method: 'POST' })).status).toBe(200);
  });
});
