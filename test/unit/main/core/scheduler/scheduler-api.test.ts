import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import type { JobSpec } from '../../../../../main/core/scheduler/scheduler-types.js';
import { chain, testEngine, testScheduler, until, watchStarts } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

describe('scheduler runtime: submit, progress, cancel, retry', () => {
  const tempDir = useTempDirs();

  it('rejects a job it could never run, naming the problem', async () => {
    const dir = await tempDir();
    const scheduler = await testScheduler(testEngine({ budgetMb: 4_500 }));
    const bad = async (spec: JobSpec) => (await scheduler.submit(spec).catch((e: unknown) => e)) as AppError;
    const unknown = chain('u', ['A'], dir);
    unknown.stages[0]!.model = 'nope';
    expect(await bad(unknown)).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/needs model "nope", which the engine does not have \(it has: A, B, C, D, E, cpuM\)/) });
    const cycle = chain('c', ['A', 'B'], dir);
    cycle.stages[0]!.after = ['s1'];
    expect((await bad(cycle)).message).toMatch(/wait for each other in a cycle/);
    const missing = chain('m', ['A', 'B'], dir);
    missing.stages[1]!.inputs = { image: { from: 's0', output: 'mask' } };
    expect((await bad(missing)).message).toMatch(/wants output "mask" of "s0", which it does not write/);
    expect((await bad(chain('big', ['D'], dir))).message).toMatch(/needs 4\.9 GB of VRAM for D, more than the budget of 4\.4 GB/);
    expect(scheduler.list()).toEqual([]);
    await scheduler.close();
  });

  it('resolves inputs from earlier stages, reports monotonic weighted progress and an ETA, and ends at 1', async () => {
    const dir = await tempDir();
    const scheduler = await testScheduler(testEngine());
    const { jobs } = watchStarts(scheduler);
    // E is 1 ms, D is 30 ms: after E the job is only a few per cent done.
    const job = await scheduler.submit(chain('p', ['E', 'D'], dir));
    await scheduler.idle();
    const history = jobs.get(job.id) ?? [];
    const progress = history.map((r) => r.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const afterE = history.find((r) => r.stages[0]?.status === 'done' && r.stages[1]?.status === 'waiting');
    expect(afterE?.progress).toBeLessThan(0.1);
    // An ETA all along (catalog figures of milliseconds here, so it rounds to tenths of a second).
    for (const r of history.filter((h) => h.status === 'running')) expect(r.etaSeconds).toEqual(expect.any(Number));
    const done = scheduler.get(job.id);
    expect(done).toMatchObject({ status: 'done', progress: 1, etaSeconds: 0, simulated: true });
    expect(done?.stages[1]?.madeBy).toBe('simulated:D');
    expect(done?.stages[1]?.outputs.image).toMatch(/p-s1\.png$/);
    await scheduler.close();
  });

  it('cancelling a queued job is immediate; cancelling a running one stops it at the next step', async () => {
    const dir = await tempDir();
    const engine = testEngine({ timeScale: 10 });
    const scheduler = await testScheduler(engine);
    const running = await scheduler.submit(chain('r', ['D'], dir));
    const queued = await scheduler.submit(chain('q', ['D'], dir));
    await until(() => (scheduler.get(running.id)?.stages[0]?.step ?? 0) >= 1);
    const t0 = performance.now();
    const q = await scheduler.cancel(queued.id);
    expect(performance.now() - t0).toBeLessThan(20);
    expect(q.status).toBe('cancelled');
    expect(q.stages[0]?.status).toBe('cancelled');
    const r = await scheduler.cancel(running.id);
    // One step of D is 50 ms at this scale: the stage stopped there, not at its end (300 ms).
    expect(performance.now() - t0).toBeLessThan(150);
    expect(r.status).toBe('cancelled');
    expect(r.stages[0]?.step).toBeLessThan(6);
    await scheduler.idle();
    await new Promise((res) => setTimeout(res, 50));
    expect((await engine.memory())?.usedMb).toBe(0);
    expect(scheduler.memory().resident).toEqual([]);
    // Cancelling what already ended just answers its record.
    expect((await scheduler.cancel(running.id)).status).toBe('cancelled');
    await expect(scheduler.cancel('no-such-job')).rejects.toMatchObject({ code: 'not-found' });
    await scheduler.close();
  });

  it('retry runs a failed job again as a new job from its first unfinished stage', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { retry: { baseMs: 1, maxMs: 1, maxAttempts: 1 } });
    const job = await scheduler.submit(chain('r', ['E', 'B'], dir));
    await until(() => scheduler.get(job.id)?.stages[0]?.status === 'done');
    engine.simulateBusy(1);
    await scheduler.idle();
    expect(scheduler.get(job.id)?.status).toBe('failed');
    const again = await scheduler.retry(job.id);
    expect(again.id).not.toBe(job.id);
    await scheduler.idle();
    const record = scheduler.get(again.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[0]).toMatchObject({ status: 'done', attempts: 1, note: `Kept from job ${job.id}.` });
    expect(engine.stats().loadsByModel.E).toBe(1);
    await expect(scheduler.retry(again.id)).rejects.toMatchObject({ code: 'bad-request' });
    await scheduler.close();
  });

  it('lists newest first, filters active jobs, and stops taking work once closed', async () => {
    const dir = await tempDir();
    const scheduler = await testScheduler(testEngine({ timeScale: 10 }));
    const a = await scheduler.submit(chain('a', ['E'], dir));
    await scheduler.idle();
    const b = await scheduler.submit(chain('b', ['D'], dir));
    expect(scheduler.list().map((r) => r.id)).toEqual([b.id, a.id]);
    expect(scheduler.list({ active: true }).map((r) => r.id)).toEqual([b.id]);
    await scheduler.close();
    await expect(scheduler.submit(chain('c', ['E'], dir))).rejects.toBeInstanceOf(AppError);
  });
});
