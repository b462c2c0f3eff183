import { describe, expect, it } from 'vitest';
import { DEFAULT_STALL_WATCH, stallLimitMs } from '../../../../../main/core/scheduler/health-watch.js';
import type { CatalogModel } from '../../../../../main/core/scheduler/model-catalog.js';
import { MODEL_CATALOG, catalogRun } from '../../../../../main/core/scheduler/model-catalog.js';
import { chain, testEngine, testScheduler, TEST_MODELS } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * The stall watchdog: a stage that stops making progress on an engine that keeps saying "healthy"
 * (the embedded engine always does) must not run forever. It is stopped as a crash with the reason
 * "no progress for N s", run again once, then failed — while long stages that keep reporting steps
 * are never stopped, however long they take.
 */
describe('scheduler runtime: stall watchdog', () => {
  const tempDir = useTempDirs();
  // D: refine, 30 ms in 6 steps → limit max(2 × 30 ms, 100 ms) = 100 ms without progress.
  const STALL = { stallWatch: { factor: 2, floorMs: 100 }, healthPollMs: 20 } as const;

  it('stops a stage that reports no progress on a healthy engine, says why, and runs it again once', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, STALL);
    try {
      engine.simulateStall(1);
      const job = await scheduler.submit(chain('stall', ['D'], dir));
      await scheduler.idle();
      const done = scheduler.get(job.id)!;
      expect(done.status).toBe('done');
      expect(done.stages[0]!.attempts).toBe(2);
      expect(done.stages[0]!.note).toMatch(/No progress for 0\.1 s .*seems stuck although the engine says it is healthy.*runs again once/);
      expect((await engine.health()).status).toBe('healthy');
    } finally {
      await scheduler.close();
    }
  });

  it('fails the job with "no progress for N s" when the stage stalls again', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, STALL);
    try {
      engine.simulateStall(2);
      const job = await scheduler.submit(chain('stall', ['D', 'E'], dir));
      const t0 = performance.now();
      await scheduler.idle();
      const failed = scheduler.get(job.id)!;
      expect(failed.status).toBe('failed');
      // D stalled twice; E never ran.
      expect(failed.stages.map((s) => s.status)).toEqual(['failed', 'cancelled']);
      expect(failed.stages[0]!.attempts).toBe(2);
      expect(failed.error!.code).toBe('engine');
      expect(failed.error!.message).toMatch(/Stage "s0" \(D\): .*No progress for 0\.1 s.*It failed again after one retry\./);
      // Caught in about two limits, not left running.
      expect(performance.now() - t0).toBeLessThan(2_000);
    } finally {
      await scheduler.close();
    }
  });

  it('gives up on a wedged stage that ignores even the abort, after the grace, and the lane goes on', async () => {
    const dir = await tempDir();
    const engine = testEngine();
    const scheduler = await testScheduler(engine, { ...STALL, cancelGraceMs: 100 });
    try {
      engine.simulateStall(1, { ignoreAbort: true });
      const stuck = await scheduler.submit(chain('stuck', ['D'], dir));
      const next = await scheduler.submit(chain('next', ['B'], dir));
      await scheduler.idle();
      expect(scheduler.get(stuck.id)!.status).toBe('done');
      expect(scheduler.get(stuck.id)!.stages[0]!.note).toContain('No progress for');
      expect(scheduler.get(next.id)!.status).toBe('done');
    } finally {
      await scheduler.close();
    }
  });

  it('never stops a long stage that keeps reporting steps, even at ten times the limit in all', async () => {
    const dir = await tempDir();
    // A FLUX-like stage: 25 steps, 600 ms in all (24 ms a step); the limit is 60 ms without progress.
    const long: CatalogModel = { id: 'L', label: 'long', device: 'gpu', stages: ['background'], footprintMb: 2000, loadMs: 2, unloadMs: 1, run: { background: { ms: 600, steps: 25 } }, source: 'test' };
    const models = [...TEST_MODELS.filter((m) => m.id !== 'A'), long];
    const engine = testEngine({ models });
    const scheduler = await testScheduler(engine, { catalog: models, stallWatch: { factor: 0.1, floorMs: 60 } });
    try {
      const jobs = [await scheduler.submit(chain('long1', ['L'], dir)), await scheduler.submit(chain('long2', ['L'], dir))];
      await scheduler.idle();
      for (const job of jobs) {
        const record = scheduler.get(job.id)!;
        expect(record.status).toBe('done');
        expect(record.stages[0]!.attempts).toBe(1);
        expect(record.stages[0]!.note ?? null).toBeNull();
        expect(record.stages[0]!.finishedAt! - record.stages[0]!.startedAt!).toBeGreaterThanOrEqual(500);
      }
    } finally {
      await scheduler.close();
    }
  });

  it('defaults leave room for real stages: FLUX (133 s, 25 steps) may even report nothing until it ends', () => {
    const flux = catalogRun(MODEL_CATALOG.find((m) => m.id === 'flux-dev'), 'background');
    expect(flux).toEqual({ ms: 133_000, steps: 25 });
    expect(stallLimitMs(flux.ms, DEFAULT_STALL_WATCH)).toBeGreaterThan(flux.ms);
    // Short or unmeasured stages get the floor, never less.
    expect(stallLimitMs(20, DEFAULT_STALL_WATCH)).toBe(DEFAULT_STALL_WATCH.floorMs);
    expect(stallLimitMs(null, DEFAULT_STALL_WATCH)).toBeGreaterThanOrEqual(DEFAULT_STALL_WATCH.floorMs);
  });
});
