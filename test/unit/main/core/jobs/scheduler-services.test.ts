import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels, type EventName, type JobRecordPayload } from '../../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import { chain, testEngine, testScheduler, until } from '../scheduler/sim-harness.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** The real scheduler (createScheduler) over the real simulated-VRAM engine, behind createServices. */
async function start(timeScale = 1) {
  const dir = await tempDir();
  const engine = testEngine({ timeScale });
  const scheduler = await testScheduler(engine);
  let engineClosed = false;
  const services = await createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: meanFillTestEngine(),
    scheduler: {
      scheduler,
      engine: 'simulated-gpu',
      close: async () => {
        await engine.close();
        engineClosed = true;
      },
    },
  });
  const events: Array<{ event: EventName; payload: unknown }> = [];
  services.onEvent((event, payload) => events.push({ event, payload }));
  const updates = (jobId: string): JobRecordPayload[] =>
    events.filter((e) => e.event === 'jobUpdated').map((e) => eventChannels.jobUpdated.parse(e.payload)).filter((j) => j.id === jobId);
  return { dir, engine, scheduler, services, h: services.handlers, events, updates, engineClosed: () => engineClosed };
}

describe('Jobs panel channels over the real scheduler and the simulated-VRAM engine', () => {
  it('a job runs to done: monotonic jobUpdated events, results in listJobs, models resident in getJobsMemory', async () => {
    const { dir, scheduler, services, h, events, updates } = await start();
    const job = await scheduler.submit(chain('ad', ['C', 'A', null], dir));
    await scheduler.idle();
    await until(() => updates(job.id).at(-1)?.status === 'done');

    const seen = updates(job.id);
    const progress = seen.map((j) => j.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(seen.map((j) => j.status)).toEqual(expect.arrayContaining(['queued', 'running', 'done']));
    // Every stage's way through loading/running to done was announced.
    expect(seen.some((j) => j.stages[1]?.status === 'running')).toBe(true);

    const [listed] = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
    expect(listed).toMatchObject({ id: job.id, title: 'ad', status: 'done', progress: 1, simulated: true });
    expect(listed!.stages.map((s) => [s.kind, s.model, s.status])).toEqual([
      ['cutout', 'C', 'done'],
      ['background', 'A', 'done'],
      ['compose', null, 'done'],
    ]);
    expect(listed!.stages[2]!.outputs.image).toBe(join(dir, 'ad-s2.png'));
    expect(listed!.stages[1]!.madeBy).toBe('simulated:A');

    const memory = invokeChannels.getJobsMemory.response.parse(await h.getJobsMemory(undefined));
    expect(memory).toMatchObject({ simulated: true, engine: 'simulated-gpu', gpu: { device: 'gpu', totalMb: 16_000, budgetMb: 10_000, simulated: true } });
    // Both models stay warm (they fit the budget together) and the bar shows them.
    expect(memory.resident.map((m) => m.id).sort()).toEqual(['A', 'C']);
    expect(memory.gpu!.usedMb).toBe(6_500);
    expect(events.some((e) => e.event === 'jobsMemory')).toBe(true);
    for (const e of events.filter((x) => x.event === 'jobsMemory')) eventChannels.jobsMemory.parse(e.payload);
    await services.dispose();
  });

  it('cancelJob stops a running scheduler job; retryJob runs it again as a new job to done', async () => {
    // D runs 6 steps of 50 ms at this scale: long enough to cancel mid-way.
    const { dir, scheduler, services, h, updates, engineClosed } = await start(10);
    const job = await scheduler.submit(chain('long', ['D'], dir));
    await until(() => (scheduler.get(job.id)?.stages[0]?.step ?? 0) >= 1);
    expect(await h.cancelJob({ jobId: job.id })).toEqual({ cancelled: true });
    await until(() => updates(job.id).at(-1)?.status === 'cancelled');
    expect(updates(job.id).at(-1)!.stages[0]!.status).toBe('cancelled');
    expect(await h.cancelJob({ jobId: job.id })).toEqual({ cancelled: false });

    const again = invokeChannels.retryJob.response.parse(await h.retryJob({ jobId: job.id }));
    expect(again.id).not.toBe(job.id);
    await until(() => updates(again.id).at(-1)?.status === 'done', 10_000);
    expect((await h.listJobs({ active: true })).length).toBe(0);
    expect((await h.listJobs(undefined)).map((j) => [j.id, j.status])).toEqual([
      [again.id, 'done'],
      [job.id, 'cancelled'],
    ]);
    await services.dispose();
    expect(engineClosed()).toBe(true);
  });
});
