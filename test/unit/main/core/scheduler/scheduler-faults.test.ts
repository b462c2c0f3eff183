import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import type { SchedulerEvent } from '../../../../../main/core/scheduler/scheduler-types.js';
import type { StageEngine } from '../../../../../main/engine/stage-engine.js';
import { chain, testEngine, testScheduler, until } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

describe('scheduler runtime: transient errors, crashes, memory that does not come back', () => {
  const tempDir = useTempDirs();

  it('retries an engine-busy answer with exponential backoff and says so on the stage', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { retry: { baseMs: 20, maxMs: 1_000, maxAttempts: 5 } });
    const notes: string[] = [];
    scheduler.subscribe((e) => {
      if (e.type === 'job' && e.job.stages[0]?.note) notes.push(e.job.stages[0].note);
    });
    engine.simulateBusy(2);
    const t0 = performance.now();
    const job = await scheduler.submit(chain('busy', ['B'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[0]?.attempts).toBe(3);
    // 20 ms, then 40 ms: the third attempt cannot start before 60 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(58);
    expect(notes.some((n) => /busy.*trying again in 20 ms \(attempt 2 of 5\)/.test(n))).toBe(true);
    expect(notes.some((n) => /trying again in 40 ms \(attempt 3 of 5\)/.test(n))).toBe(true);
    await scheduler.close();
  });

  it('fails with engine-busy once the attempts are used up', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { retry: { baseMs: 1, maxMs: 2, maxAttempts: 3 } });
    engine.simulateBusy(10);
    const job = await scheduler.submit(chain('busy', ['B'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('engine-busy');
    expect(record?.error?.message).toMatch(/stayed busy through 3 attempts/);
    await scheduler.close();
  });

  it('runs a stage again once after an engine crash, reloading its model', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine);
    const job = await scheduler.submit(chain('crash', ['E', 'D'], dir));
    await until(() => scheduler.get(job.id)?.stages[1]?.status === 'running');
    engine.simulateCrash({ downMs: 20 });
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[1]?.attempts).toBe(2);
    expect(record?.stages[1]?.note).toMatch(/engine failed while running this stage.*runs again once/);
    expect(engine.stats().loadsByModel.D).toBe(2);
    // After the crash nothing but D is resident, and the scheduler knows it.
    expect(scheduler.memory().resident.map((m) => m.id)).toEqual(['D']);
    await scheduler.close();
  });

  it('fails the stage with a clear reason when the engine crashes again', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine);
    const job = await scheduler.submit(chain('crash', ['D'], dir));
    for (let i = 1; i <= 2; i++) {
      await until(() => scheduler.get(job.id)?.stages[0]?.status === 'running' && scheduler.get(job.id)?.stages[0]?.attempts === i);
      engine.simulateCrash({ downMs: 5 });
    }
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('engine');
    expect(record?.error?.message).toMatch(/Stage "s0" \(D\): The engine failed while running stage "s0" on D: .*simulated crash.*failed again after one retry/);
    await scheduler.close();
  });

  it('fails at once, naming the engine state, when the engine stays down after a crash', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { crashRecoveryMs: 40 });
    const job = await scheduler.submit(chain('down', ['D'], dir));
    await until(() => scheduler.get(job.id)?.stages[0]?.status === 'running');
    engine.simulateCrash({ downMs: 5_000 });
    await scheduler.idle();
    expect(scheduler.get(job.id)?.error?.message).toMatch(/not healthy: the engine process is not running \(simulated crash\); restart it/);
    await scheduler.close();
  });

  it('notices a wedged engine through its health and gives the stage up even though it never answers', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { healthPollMs: 5, cancelGraceMs: 30 });
    const job = await scheduler.submit(chain('hang', ['D'], dir));
    await until(() => scheduler.get(job.id)?.stages[0]?.status === 'running');
    engine.simulateCrash({ hang: true, downMs: 60 });
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[0]?.attempts).toBe(2);
    expect(record?.stages[0]?.note).toMatch(/became unhealthy/);
    await scheduler.close();
  });

  it('says so clearly when unloaded memory never comes back, instead of overfilling the card', async () => {
    const dir = await tempDir();
    const inner = testEngine({ budgetMb: 8_000 });
    let leakedMb = 0;
    // An engine whose allocator keeps whatever it unloads (a leak).
    const leaky: StageEngine = {
      ...inner,
      async unload(model) {
        const before = (await inner.memory())?.usedMb ?? 0;
        await inner.unload(model);
        await new Promise((r) => setTimeout(r, 5));
        leakedMb += before - ((await inner.memory())?.usedMb ?? 0);
      },
      async memory() {
        const r = await inner.memory();
        return r && { ...r, usedMb: r.usedMb + leakedMb };
      },
    };
    const scheduler = await testScheduler(leaky, { memoryWait: { pollMs: 2, timeoutMs: 40 } });
    const first = await scheduler.submit(chain('a', ['A'], dir));
    await scheduler.idle();
    const second = await scheduler.submit(chain('d', ['D'], dir));
    await scheduler.idle();
    expect(scheduler.get(first.id)?.status).toBe('done');
    const record = scheduler.get(second.id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.message).toMatch(/Not enough free VRAM to load D: it needs 4\.9 GB, and after 0 s the GPU still shows 3\.9 GB/);
    expect(inner.stats().peakUsedMb).toBeLessThanOrEqual(8_000);
    await scheduler.close();
  });

  it('an out-of-memory load raises the estimate, unloads what is idle to make room and runs the stage again once', async () => {
    const dir = await tempDir();
    // A really takes 4.5 GB (declared 4 GB): learnt from its load. D really takes 11.5 GB (declared 5 GB).
    const engine = testEngine({ actualFootprintMb: { A: 4_500, D: 11_500 }, totalMb: 12_000 });
    const scheduler = await testScheduler(engine);
    await scheduler.submit(chain('a', ['A'], dir));
    await scheduler.idle();
    expect(scheduler.memory().resident).toEqual([{ id: 'A', label: 'A', device: 'gpu', footprintMb: 4_500 }]);
    const notes: string[] = [];
    scheduler.subscribe((e) => {
      if (e.type === 'job' && e.job.stages[0]?.note) notes.push(e.job.stages[0].note);
    });
    // 4.5 + 5 GB fit the 10 GB budget on paper, so D is loaded beside A and the card runs out.
    const job = await scheduler.submit(chain('d', ['D'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    // The card had 7.5 GB free when D ran out: D needs more than that, so A had to go.
    expect(notes[0]).toMatch(
      /^Loading D ran out of GPU memory \(out of memory \(simulated\): loading D needs 11500 MB; 4500 of 12000 MB are in use\.\); its estimate is now 7\.3 GB, so other models are unloaded to make room and the stage runs again once\.$/,
    );
    expect(engine.stats().loadsByModel).toEqual({ A: 1, D: 1 });
    expect(engine.stats().unloads).toBe(1);
    // The load that worked says what D really takes.
    expect(scheduler.estimates.footprintMb('D')).toBe(11_500);
    expect(scheduler.memory().resident.map((m) => m.id)).toEqual(['D']);
    await scheduler.close();
  });

  it('fails with a clear reason when the load runs out of memory again after making room', async () => {
    const dir = await tempDir();
    const engine = testEngine({ actualFootprintMb: { D: 13_000 }, totalMb: 12_000 });
    const scheduler = await testScheduler(engine);
    await scheduler.submit(chain('a', ['A'], dir));
    await scheduler.idle();
    const job = await scheduler.submit(chain('d', ['D'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('engine');
    expect(record?.error?.message).toMatch(
      /^Stage "s0" \(D\): Loading D ran out of GPU memory again, even after the other models were unloaded \(out of memory \(simulated\).*\)\. It seems to need more than 11\.7 GB; close other programs that use the GPU, or use a smaller model\.$/,
    );
    expect(engine.stats().loadsByModel).toEqual({ A: 1 });
    // Room was made once (A went); nothing is left loaded for a stage that cannot run.
    expect(engine.stats().unloads).toBe(1);
    expect(scheduler.memory().resident).toEqual([]);
    await scheduler.close();
  });

  it('fails a stage whose input the engine rejects without retrying it', async () => {
    const dir = await tempDir();
    const inner = testEngine();
    let runs = 0;
    const picky: StageEngine = {
      ...inner,
      async runStage() {
        runs++;
        throw new AppError('bad-image', 'The image is truncated.');
      },
    };
    const scheduler = await testScheduler(picky);
    const job = await scheduler.submit(chain('bad', ['B', 'C'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(runs).toBe(1);
    expect(record?.error).toEqual({ code: 'bad-image', message: 'Stage "s0" (B): The image is truncated.' });
    expect(record?.stages.map((s) => s.status)).toEqual(['failed', 'cancelled']);
    await scheduler.close();
  });

  it('reports model loads and unloads as events with their durations', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { policy: 'unload-each-stage' });
    const events: SchedulerEvent[] = [];
    scheduler.subscribe((e) => events.push(e));
    await scheduler.submit(chain('ev', ['A'], dir));
    await scheduler.idle();
    const model = events.filter((e) => e.type === 'model').map((e) => (e.type === 'model' ? `${e.action}:${e.model}:${e.phase}` : ''));
    expect(model).toEqual(['load:A:start', 'load:A:done', 'unload:A:start', 'unload:A:done']);
    expect(events.some((e) => e.type === 'memory' && e.memory.simulated && e.memory.gpu?.simulated)).toBe(true);
    // Unload waited for the memory to really come back.
    expect((await engine.memory())?.usedMb).toBe(0);
    await scheduler.close();
  });
});
