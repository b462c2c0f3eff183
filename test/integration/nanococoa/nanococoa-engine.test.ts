/**
 * The nanoCocoa adapter against a TEST DOUBLE of the seed's AI server (nanococoa-test-double.ts).
 *
 * What this proves: the adapter handles the server's API and quirks *as documented* in
 * shared/reference/nanococoa-server.md (read from the server's code) — submit, gentle polling,
 * cancel, fetching results once into files, `error`/`failed`, progress going backwards, negative
 * ETA, 503 + Retry-After, jobs lost on a restart, a stuck lock and /server-reset — and that the
 * scheduler can drive it. What it does NOT prove: that the real server (GPU, 24 GB image, gated
 * weights; it cannot run on these machines) behaves exactly so, or anything about image quality.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileJobStore, createMemoryJobStore } from '../../../main/core/scheduler/job-store.js';
import { createScheduler } from '../../../main/core/scheduler/scheduler.js';
import type { JobRecord } from '../../../main/core/scheduler/scheduler-types.js';
import { createEmbeddedStageEngine } from '../../../main/engine/embedded-stage-engine.js';
import { LOST_JOB_MESSAGE, nanococoaEngineFor, withLocalStages, type NanoCocoaEngine } from '../../../main/engine/nanococoa/index.js';
import type { StageContext } from '../../../main/engine/stage-engine.js';
import { AppError } from '../../../preload/contract/index.js';
import { fixture } from '../../support/fixtures.js';
import { startNanoCocoaTestDouble, type NanoCocoaTestDouble } from './nanococoa-test-double.js';

let dir: string;
const cleanup: Array<() => Promise<unknown>> = [];
const at = (name: string) => join(dir, name);
const POLL = 30;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-nanococoa-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function double(o: Parameters<typeof startNanoCocoaTestDouble>[0] = {}): Promise<NanoCocoaTestDouble> {
  const d = await startNanoCocoaTestDouble(o);
  cleanup.push(() => d.close());
  return d;
}

function adapter(d: NanoCocoaTestDouble, o: Parameters<typeof nanococoaEngineFor>[1] = {}): NanoCocoaEngine {
  const e = nanococoaEngineFor(d.url, { pollMs: POLL, queuePollMs: POLL, ...o });
  cleanup.push(() => e.close());
  return e;
}

interface Progress {
  step: number;
  total: number;
  message?: string;
}
function context(signal: AbortSignal = new AbortController().signal): StageContext & { progress: Progress[]; runIds: string[] } {
  const progress: Progress[] = [];
  const runIds: string[] = [];
  return { signal, progress, runIds, onProgress: (step, total, message) => progress.push({ step, total, ...(message ? { message } : {}) }), onRunId: (id) => runIds.push(id) };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Long runs of base64 (a PNG starts "iVBORw0KGgo") must never reach adstudio's side. */
function expectNoBase64(value: unknown): void {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/iVBORw0KGgo|\/9j\/|[A-Za-z0-9+]{120,}/);
}

describe('nanoCocoa adapter (against the documented API, via a test double)', () => {
  it('runs a background: product sent as base64 only on the wire, result written once to the output file', async () => {
    const d = await double();
    const e = adapter(d);
    const ctx = context();
    const out = at('bg.png');
    const result = await e.runStage(
      { kind: 'background', model: null, inputs: { product: fixture('product-banana.png') }, outputs: { image: out }, params: { prompt: 'a wooden table', seed: 3 } },
      ctx,
    );
    expect(result).toEqual({ outputs: { image: out }, madeBy: 'nanococoa:flux background' });
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 64]);
    // The product really travelled: the double pasted it where the flat colour would be.
    const { data } = await sharp(out).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * 96 + x) * 3, (y * 96 + x) * 3 + 3)];
    expect(px(2, 2)).toEqual([(3 * 53) % 256, (3 * 97) % 256, 180]);
    expect(px(48, 44)).not.toEqual(px(2, 2));
    // The request carried the image; nothing the adapter handed back did.
    const generate = d.requests.find((r) => r.method === 'POST' && r.path === '/generate');
    expect(generate!.bytes).toBeGreaterThan(readFileSync(fixture('product-banana.png')).length);
    expectNoBase64({ result, progress: ctx.progress, runIds: ctx.runIds });
    // Fetched once, then the server's copy is freed.
    await until(() => d.jobIds().length === 0);
    expect(d.count('DELETE', '/jobs/')).toBe(1);
  });

  it('reports monotonic progress though progress_percent goes backwards, and no ETA once it runs negative', async () => {
    const d = await double({ tickMs: 10, ticksPerStep: 10 });
    const e = adapter(d, { pollMs: 8 });
    const ctx = context();
    await e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('mono.png') } }, ctx);
    const steps = ctx.progress.map((p) => p.step);
    expect(steps.length).toBeGreaterThan(4);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThanOrEqual(steps[i - 1]!);
    expect(steps.at(-1)).toBe(1000);
    expect(new Set(steps).size).toBeGreaterThan(3);
    const messages = ctx.progress.map((p) => p.message ?? '');
    expect(messages.some((m) => /left \(server estimate\)/.test(m))).toBe(true);
    expect(messages.some((m) => /-\d+ s|-\d+ min/.test(m))).toBe(false);
  });

  it('letters text onto a background (render_text: steps 2–3) and writes the format the output path asks for', async () => {
    const d = await double();
    const e = adapter(d);
    await e.runStage({ kind: 'background', model: 'nanococoa-sdxl', inputs: {}, outputs: { image: at('base.png') } }, context());
    const body = JSON.parse(JSON.stringify(d.requests.filter((r) => r.path === '/generate')));
    expect(body).toHaveLength(1);
    const result = await e.runStage({ kind: 'render_text', model: null, inputs: { image: at('base.png') }, outputs: { image: at('ad.webp') }, params: { text: ['신상품', 'SALE'], text_position: 'top' } }, context());
    expect(result.madeBy).toBe('nanococoa:text + composite');
    const meta = await sharp(at('ad.webp')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 96, 64]);
    const { data } = await sharp(at('ad.webp')).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240); // the white "text" band at the top
    expect((await rejection(e.runStage({ kind: 'render_text', model: null, inputs: { image: at('base.png') }, outputs: { image: at('x.png') }, params: {} }, context()))).message).toMatch(/params\.text/);
    expect((await rejection(e.runStage({ kind: 'compose', model: null, inputs: { background: at('base.png') }, outputs: { image: at('x.png') }, params: { text: 'x' } }, context()))).code).toBe('unsupported');
  });

  it('treats both "error" and "failed" as failure, with the server\'s reason', async () => {
    const d = await double();
    const e = adapter(d);
    d.failNextJob('Step 1 오류 (배경 생성 실패): CUDA out of memory', 'error');
    const a = await rejection(e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('err.png') } }, context()));
    expect(a.code).toBe('engine');
    expect(a.message).toMatch(/status "error"\): Step 1 오류 .*CUDA out of memory/);
    d.failNextJob('worker died', 'failed');
    const b = await rejection(e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('err.png') } }, context()));
    expect(b.message).toMatch(/status "failed"\): worker died/);
    expect(existsSync(at('err.png'))).toBe(false);
  });

  it('queues on this side while the server is busy: waits on /health, never hammers /generate, then runs', async () => {
    const d = await double();
    d.startForeignJob(15);
    const e = adapter(d);
    const ctx = context();
    await e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('queued.png') } }, ctx);
    expect(existsSync(at('queued.png'))).toBe(true);
    expect(ctx.progress[0]!.message).toMatch(/queued: the nanoCocoa server is busy with another job \(it estimates 22 min\)/);
    expect(d.count('POST', '/generate')).toBe(2); // one 503, then one accepted
    expect(d.count('GET', '/health')).toBeGreaterThan(0);
  });

  it('a cancel while queued leaves nothing on the server', async () => {
    const d = await double();
    const foreign = d.startForeignJob(Infinity);
    const e = adapter(d);
    const controller = new AbortController();
    const run = e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('never.png') } }, context(controller.signal));
    await until(() => d.count('GET', '/health') >= 2);
    controller.abort();
    expect((await rejection(run)).code).toBe('cancelled');
    expect(d.jobIds()).toEqual([foreign]);
  });

  it('a cancel while running stops the job (POST /stop) and writes no output', async () => {
    const d = await double({ tickMs: 20, ticksPerStep: 50 });
    const e = adapter(d);
    const controller = new AbortController();
    const ctx = context(controller.signal);
    const run = e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('stopped.png') } }, ctx);
    await until(() => ctx.progress.some((p) => p.step > 0));
    controller.abort();
    expect((await rejection(run)).code).toBe('cancelled');
    expect(d.count('POST', '/stop/')).toBe(1);
    expect(existsSync(at('stopped.png'))).toBe(false);
  });

  it('never calls /stop on a finished job (it would overwrite the status)', async () => {
    const d = await double();
    const e = adapter(d);
    const controller = new AbortController();
    await e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('done.png') } }, context(controller.signal));
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(d.count('POST', '/stop/')).toBe(0);
  });

  it('says clearly when a restart of the server lost the job', async () => {
    const d = await double({ tickMs: 20, ticksPerStep: 50 });
    const e = adapter(d);
    const ctx = context();
    const run = e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('lost.png') } }, ctx);
    await until(() => ctx.progress.some((p) => p.step > 0));
    await d.restart(100); // down for a moment (polls fail and are retried), then it answers 404
    const err = await rejection(run);
    expect(err.code).toBe('engine');
    expect(err.message).toBe(LOST_JOB_MESSAGE);
    expect(err.message).toMatch(/keeps jobs in memory only/);
  });

  it('picks a running job up again after an adstudio restart; not-found once the server forgot it', async () => {
    const d = await double({ tickMs: 15, ticksPerStep: 12 });
    const first = adapter(d);
    const ctx = context();
    const run = first.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('reattached.png') } }, ctx);
    await until(() => ctx.runIds.length === 1);
    await first.close(); // the app quits: the job goes on on the server
    expect((await rejection(run)).code).toBe('engine');
    expect(d.count('POST', '/stop/')).toBe(0);
    const second = adapter(d);
    const result = await second.reattach(ctx.runIds[0]!, context());
    expect(result.outputs.image).toBe(at('reattached.png'));
    expect((await sharp(at('reattached.png')).metadata()).width).toBe(96);

    const ctx2 = context();
    const third = adapter(d, { pollMs: 200 });
    const run2 = third.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('gone.png') } }, ctx2);
    await until(() => ctx2.runIds.length === 1);
    await third.close();
    await run2.catch(() => undefined);
    await d.restart();
    const gone = await rejection(adapter(d).reattach(ctx2.runIds[0]!, context()));
    expect(gone.code).toBe('not-found');
    expect(gone.message).toBe(LOST_JOB_MESSAGE);
  });

  it('reports a stuck lock with the reset, health says so, and reset() recovers', async () => {
    const d = await double();
    d.wedge();
    const e = adapter(d, { stuckAfterMs: 150 });
    const err = await rejection(e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('stuck.png') } }, context()));
    expect(err.code).toBe('engine');
    expect(err.message).toMatch(/looks stuck: no job on it has changed for .*POST http:\/\/127\.0\.0\.1:\d+\/server-reset/);
    const health = await e.health();
    expect(health.status).toBe('unhealthy');
    expect(health.message).toMatch(/server-reset/);
    await e.reset();
    expect((await e.health()).status).toBe('healthy');
    await e.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: at('after-reset.png') } }, context());
    expect(existsSync(at('after-reset.png'))).toBe(true);
  });

  it('health: busy is healthy-but-busy; memory comes from gpu_info (null without one); unreachable is unhealthy', async () => {
    const d = await double({ gpu: { usedGb: 6, totalGb: 24 } });
    const e = adapter(d);
    expect(await e.memory()).toEqual({ device: 'gpu', totalMb: 24576, usedMb: 6144, budgetMb: 24576, simulated: false });
    d.startForeignJob(Infinity);
    const busy = await e.health();
    expect([busy.status, busy.gpu?.usedMb]).toEqual(['healthy', 6144]);
    expect(busy.message).toMatch(/^busy: 1 job running/);
    d.setGpu(null);
    expect(await e.memory()).toBeNull();
    await d.close();
    const down = await e.health();
    expect(down.status).toBe('unhealthy');
    expect(down.message).toMatch(/cannot reach the nanoCocoa server/);
  });

  it('declares only the stages it has; others are refused with the reason', async () => {
    const d = await double();
    const e = adapter(d);
    const caps = await e.capabilities();
    expect([caps.engine, caps.protocol, caps.stages]).toEqual(['nanococoa', 'nanococoa', ['background', 'render_text']]);
    const err = await rejection(e.runStage({ kind: 'inpaint', model: null, inputs: { image: at('bg.png') }, outputs: { image: at('x.png') } }, context()));
    expect([err.code, err.message]).toEqual(['unsupported', expect.stringMatching(/no "inpaint" stage .*adstudio's own engine runs inpaint/)]);
    expect((await e.models()).map((m) => [m.id, m.stage, m.resident, m.footprintMb])).toEqual([
      ['nanococoa-flux', 'background', true, 0],
      ['nanococoa-sdxl', 'background', true, 0],
      ['nanococoa-text', 'render_text', true, 0],
    ]);
  });
});

describe('nanoCocoa adapter under the scheduler', () => {
  it('runs a background job spec end to end; the record holds paths, never image data', async () => {
    const d = await double();
    const engine = adapter(d);
    const store = createMemoryJobStore();
    const scheduler = await createScheduler({ engine, store, healthPollMs: 50 });
    cleanup.push(() => scheduler.close());
    const events: JobRecord[] = [];
    scheduler.subscribe((ev) => ev.type === 'job' && events.push(ev.job));
    const job = await scheduler.submit({
      title: 'Background — banana',
      priority: 'batch',
      stages: [{ id: 'background', kind: 'background', model: 'nanococoa-flux', inputs: { product: fixture('product-banana.png') }, outputs: { image: at('sched-bg.png') }, params: { prompt: 'marble' } }],
    });
    await scheduler.idle();
    const done = scheduler.get(job.id)!;
    expect(done.status).toBe('done');
    expect(done.stages[0]!.outputs).toEqual({ image: at('sched-bg.png') });
    expect(done.stages[0]!.madeBy).toBe('nanococoa:flux background');
    expect((await sharp(at('sched-bg.png')).metadata()).format).toBe('png');
    const progress = events.filter((r) => r.id === job.id).map((r) => r.progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expectNoBase64({ records: store.records(), events });
  });

  it('a job still running on the server when adstudio quits is picked up again after the restart', async () => {
    const d = await double({ tickMs: 20, ticksPerStep: 25 });
    const store = createFileJobStore(at('jobs-restart'));
    const firstEngine = adapter(d);
    const first = await createScheduler({ engine: firstEngine, store, healthPollMs: 0 });
    const job = await first.submit({
      title: 'Long background',
      priority: 'batch',
      stages: [{ id: 'background', kind: 'background', model: 'nanococoa-flux', inputs: {}, outputs: { image: at('restart-bg.png') } }],
    });
    await until(() => first.get(job.id)?.stages[0]?.remoteRunId != null);
    await first.close(); // adstudio quits (scheduler, then engine); the run goes on on the server
    await firstEngine.close();
    expect(d.count('POST', '/stop/')).toBe(0);
    expect(existsSync(at('restart-bg.png'))).toBe(false);
    const second = await createScheduler({ engine: adapter(d), store, healthPollMs: 0 });
    cleanup.push(() => second.close());
    await second.idle();
    const done = second.get(job.id)!;
    expect(done.status).toBe('done');
    expect(done.stages[0]!.madeBy).toBe('nanococoa:background (picked up after a restart)');
    expect(d.count('POST', '/generate')).toBe(1); // followed, not run again
    expect((await sharp(at('restart-bg.png')).metadata()).width).toBe(96);
  });

  it('with withLocalStages: the server makes the background while the embedded engine finds the text', async () => {
    const d = await double();
    const engine = withLocalStages(adapter(d), createEmbeddedStageEngine({ version: 'test' }));
    cleanup.push(() => engine.close());
    const scheduler = await createScheduler({ engine, store: createMemoryJobStore(), healthPollMs: 0 });
    cleanup.push(() => scheduler.close());
    const caps = await engine.capabilities();
    expect(caps.stages).toEqual(expect.arrayContaining(['background', 'render_text', 'detect_text', 'inpaint', 'cutout', 'compose']));
    const job = await scheduler.submit({
      title: 'Both engines',
      priority: 'batch',
      stages: [
        { id: 'bg', kind: 'background', model: 'nanococoa-flux', inputs: {}, outputs: { image: at('both-bg.png') } },
        { id: 'detect', kind: 'detect_text', model: null, inputs: { image: fixture('ad-apples-korean-text.png') }, outputs: { mask: at('both-mask.png') } },
      ],
    });
    await scheduler.idle();
    const done = scheduler.get(job.id)!;
    expect(done.status).toBe('done');
    expect(done.stages.map((s) => s.madeBy)).toEqual(['nanococoa:flux background', 'detect-text:ppocrv4']);
    expect(d.count('POST', '/generate')).toBe(1);
  });
});
