import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels, type EventName, type EventPayload } from '../../../../../preload/contract/index.js';
import { schedulerHandlers, type SchedulerPort } from '../../../../../main/core/jobs/scheduler-handlers.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { useTempDirs } from '../support/temp-dir.js';
import { sampleSpec, schedulerDouble } from './scheduler-double.js';

const tempDir = useTempDirs();

function recorder() {
  const events: Array<{ event: EventName; payload: unknown; at: number }> = [];
  const sink = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    events.push({ event, payload, at: performance.now() });
  };
  const updates = (jobId?: string) =>
    events.filter((e) => e.event === 'jobUpdated').map((e) => eventChannels.jobUpdated.parse(e.payload)).filter((j) => !jobId || j.id === jobId);
  return { events, sink, updates };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function servicesWith(scheduler?: SchedulerPort) {
  const dir = await tempDir();
  const services = await createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: meanFillTestEngine(),
    ...(scheduler ? { scheduler } : {}),
  });
  const log = recorder();
  services.onEvent(log.sink);
  return { services, h: services.handlers, log };
}

describe('Jobs panel channels without a scheduler', () => {
  it('lists no jobs, reports CPU only on the embedded engine, and knows no job to retry or cancel', async () => {
    const { services, h } = await servicesWith();
    expect(invokeChannels.listJobs.response.parse(await h.listJobs(undefined))).toEqual([]);
    expect(invokeChannels.getJobsMemory.response.parse(await h.getJobsMemory(undefined))).toEqual({ gpu: null, resident: [], simulated: false, engine: 'embedded' });
    await expect(h.retryJob({ jobId: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    // cancelJob keeps its answer for ids nobody knows (editor clients rely on it).
    expect(await h.cancelJob({ jobId: 'nope' })).toEqual({ cancelled: false });
    await services.dispose();
  });
});

describe('Jobs panel channels over a JobScheduler (test double)', () => {
  it('lists jobs newest first without their input paths, keeping the outputs as results — none for a job whose submitter removes them', async () => {
    const scheduler = schedulerDouble();
    const { services, h } = await servicesWith({ scheduler, engine: 'simulated-gpu' });
    const first = await scheduler.submit(sampleSpec('first'));
    const second = await scheduler.submit(sampleSpec('second'));
    // The editor's own erase: its result goes into the asset store and its folder is removed.
    const editors = await scheduler.submit({ ...sampleSpec('editor erase'), outputsKept: false });
    const finish = (job: typeof first) =>
      scheduler.update(job.id, {
        status: 'done',
        progress: 1,
        etaSeconds: 0,
        stages: job.stages.map((s, i) => ({ ...s, status: 'done', outputs: (i === 0 ? { mask: '/work/out/mask.png' } : { image: '/work/out/erased.png' }) as Record<string, string>, madeBy: 'inpaint:lama', startedAt: 10, finishedAt: 20 })),
        finishedAt: job.createdAt + 1000,
      });
    finish(first);
    finish(editors);

    const list = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
    expect(list.map((j) => j.title)).toEqual(['editor erase', 'second', 'first']);
    expect(JSON.stringify(list)).not.toContain('/secret/in');
    const done = list[2]!;
    expect(done).toMatchObject({ status: 'done', progress: 1, priority: 'batch' });
    expect(done.stages.map((s) => [s.kind, s.model, s.outputs])).toEqual([
      ['detect_text', 'ppocr-det', { mask: '/work/out/mask.png' }],
      ['inpaint', 'lama', { image: '/work/out/erased.png' }],
    ]);
    expect(done.stages[1]).toMatchObject({ madeBy: 'inpaint:lama', startedAt: 10, finishedAt: 20 });
    // No "Copy path" to a file that is gone.
    expect(list[0]!.stages.map((s) => s.outputs)).toEqual([{}, {}]);

    const active = invokeChannels.listJobs.response.parse(await h.listJobs({ active: true }));
    expect(active.map((j) => j.id)).toEqual([second.id]);
    await services.dispose();
  });

  it('sends a status change at once and coalesces progress to a few updates a second, the last one always delivered', async () => {
    const scheduler = schedulerDouble();
    const log = recorder();
    const jobs = schedulerHandlers({ scheduler, engine: 'simulated-gpu' }, log.sink, { progressIntervalMs: 200 });
    const job = await scheduler.submit(sampleSpec());
    expect(log.updates(job.id).map((j) => j.status)).toEqual(['queued']);

    const running = { ...job.stages[0]!, status: 'running' as const, totalSteps: 20 };
    scheduler.update(job.id, { status: 'running', stages: [running, job.stages[1]!] });
    expect(log.updates(job.id).map((j) => j.status)).toEqual(['queued', 'running']);

    for (let step = 1; step <= 20; step++) {
      scheduler.update(job.id, { status: 'running', progress: step / 40, stages: [{ ...running, step }, job.stages[1]!] });
    }
    // Twenty steps in a burst right after the status change: none of them is sent yet…
    expect(log.updates(job.id)).toHaveLength(2);
    await sleep(300);
    // …then only the newest one.
    const afterBurst = log.updates(job.id);
    expect(afterBurst).toHaveLength(3);
    expect(afterBurst[2]!.stages[0]).toMatchObject({ step: 20, totalSteps: 20 });
    expect(afterBurst[2]!.progress).toBe(0.5);

    // A stage finishing is a status change: delivered synchronously, even within the interval.
    scheduler.update(job.id, { progress: 0.55, stages: [{ ...running, step: 20, status: 'done' }, job.stages[1]!] });
    expect(log.updates(job.id)).toHaveLength(4);
    scheduler.update(job.id, { status: 'failed', error: { code: 'engine', message: 'out of memory (simulated)' } });
    expect(log.updates(job.id).at(-1)).toMatchObject({ status: 'failed', error: { code: 'engine', message: 'out of memory (simulated)' } });
    await sleep(250);
    expect(log.updates(job.id)).toHaveLength(5);
    await jobs.dispose();
  });

  it('throttles each job on its own', async () => {
    const scheduler = schedulerDouble();
    const log = recorder();
    const jobs = schedulerHandlers({ scheduler, engine: 'e' }, log.sink, { progressIntervalMs: 10_000 });
    const a = await scheduler.submit(sampleSpec('a'));
    const b = await scheduler.submit(sampleSpec('b'));
    scheduler.update(a.id, { progress: 0.1 });
    scheduler.update(b.id, { progress: 0.1 });
    // Each job's first record went out; the progress of each waits for its own interval.
    expect(log.updates().map((j) => j.title)).toEqual(['a', 'b']);
    scheduler.update(b.id, { status: 'running' });
    expect(log.updates().map((j) => `${j.title}:${j.status}`)).toEqual(['a:queued', 'b:queued', 'b:running']);
    await jobs.dispose();
  });

  it('cancels active scheduler jobs through cancelJob; ended or unknown ones answer false', async () => {
    const scheduler = schedulerDouble();
    const { services, h, log } = await servicesWith({ scheduler, engine: 'simulated-gpu' });
    const job = await scheduler.submit(sampleSpec());
    expect(await h.cancelJob({ jobId: job.id })).toEqual({ cancelled: true });
    expect(scheduler.get(job.id)?.status).toBe('cancelled');
    expect(log.updates(job.id).at(-1)).toMatchObject({ status: 'cancelled', stages: [{ status: 'cancelled' }, { status: 'cancelled' }] });
    expect(await h.cancelJob({ jobId: job.id })).toEqual({ cancelled: false });
    expect(await h.cancelJob({ jobId: 'unknown-job' })).toEqual({ cancelled: false });
    await services.dispose();
  });

  it('retries a failed job as a new job; an unknown id is not-found', async () => {
    const scheduler = schedulerDouble();
    const { services, h } = await servicesWith({ scheduler, engine: 'simulated-gpu' });
    const job = await scheduler.submit(sampleSpec('retry me'));
    scheduler.update(job.id, { status: 'failed', error: { code: 'engine', message: 'the engine stopped' } });
    const again = invokeChannels.retryJob.response.parse(await h.retryJob({ jobId: job.id }));
    expect(again).toMatchObject({ title: 'retry me', status: 'queued', progress: 0 });
    expect(again.id).not.toBe(job.id);
    expect((await h.listJobs(undefined)).map((j) => j.id)).toEqual([again.id, job.id]);
    await expect(h.retryJob({ jobId: 'unknown-job' })).rejects.toMatchObject({ code: 'not-found' });
    await services.dispose();
  });

  it('reports memory with the engine name and forwards memory changes as jobsMemory; simulated stays simulated', async () => {
    const gpu = { device: 'gpu' as const, totalMb: 24_576, usedMb: 11_264, budgetMb: 22_528, simulated: true };
    const scheduler = schedulerDouble({ gpu, resident: [{ id: 'flux-dev', label: 'FLUX.1-dev', device: 'gpu', footprintMb: 11_264 }], simulated: false });
    const { services, h, log } = await servicesWith({ scheduler, engine: 'simulated-gpu' });
    expect(invokeChannels.getJobsMemory.response.parse(await h.getJobsMemory(undefined))).toEqual({
      gpu,
      resident: [{ id: 'flux-dev', label: 'FLUX.1-dev', device: 'gpu', footprintMb: 11_264 }],
      // The card says simulated even though the view's own flag does not: the payload says it too.
      simulated: true,
      engine: 'simulated-gpu',
    });
    scheduler.setMemory({ gpu: { ...gpu, usedMb: 0 }, resident: [], simulated: true });
    const memory = log.events.filter((e) => e.event === 'jobsMemory').map((e) => eventChannels.jobsMemory.parse(e.payload));
    expect(memory).toEqual([{ gpu: { ...gpu, usedMb: 0 }, resident: [], simulated: true, engine: 'simulated-gpu' }]);
    await services.dispose();
  });

  it('dispose stops the events, closes the scheduler, then what it drives', async () => {
    const scheduler = schedulerDouble();
    const order: string[] = [];
    const close = scheduler.close.bind(scheduler);
    scheduler.close = async () => {
      await close();
      order.push('scheduler');
    };
    const { services, log } = await servicesWith({ scheduler, engine: 'simulated-gpu', close: async () => void order.push('engine') });
    expect(scheduler.listenerCount()).toBe(1);
    await services.dispose();
    expect(order).toEqual(['scheduler', 'engine']);
    expect(scheduler.closed).toBe(true);
    expect(scheduler.listenerCount()).toBe(0);
    const before = log.events.length;
    await scheduler.submit(sampleSpec());
    expect(log.events).toHaveLength(before);
  });
});
