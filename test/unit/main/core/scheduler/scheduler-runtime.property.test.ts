import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain, footprintOf, GPU_MODELS, isGpu, testEngine, testScheduler, until, watchStarts } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * The runtime against the simulated-VRAM engine at high speed: random job mixes, random budgets.
 * What a user would notice: every job ends, the card never holds more than the budget, models that
 * fit together load once, interactive work overtakes at the next boundary, cancel frees memory.
 */

const arbModel = fc.constantFrom<string | null>(...GPU_MODELS, null, 'cpuM');
const arbJob = fc.record({
  models: fc.array(arbModel, { minLength: 1, maxLength: 4 }),
  interactive: fc.boolean(),
});

describe('scheduler runtime (properties, simulated VRAM)', () => {
  const tempDir = useTempDirs();

  it('finishes every job, never exceeds the budget, and loads each model once when they fit together', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(arbJob, { minLength: 1, maxLength: 6 }), fc.integer({ min: 5_000, max: 16_000 }), async (jobs, budgetMb) => {
        const engine = testEngine({ budgetMb });
        const scheduler = await testScheduler(engine);
        try {
          for (const [i, job] of jobs.entries()) await scheduler.submit(chain(`j${i}`, job.models, dir, job.interactive ? 'interactive' : 'batch'));
          await scheduler.idle();
          const records = scheduler.list();
          expect(records.map((r) => r.status)).toEqual(records.map(() => 'done'));
          for (const r of records) expect(r.progress).toBe(1);
          const stats = engine.stats();
          expect(stats.peakUsedMb).toBeLessThanOrEqual(budgetMb);
          const distinct = [...new Set(jobs.flatMap((j) => j.models).filter(isGpu))] as string[];
          if (distinct.reduce((a, m) => a + footprintOf(m), 0) <= budgetMb) {
            expect(stats.loadsByModel).toEqual(Object.fromEntries([...distinct, ...(jobs.some((j) => j.models.includes('cpuM')) ? ['cpuM'] : [])].map((m) => [m, 1])));
          }
          // The scheduler's accounting agrees with the engine about what is resident.
          const engineResident = (await engine.models()).filter((m) => m.resident).map((m) => m.id).sort();
          expect(scheduler.memory().resident.map((m) => m.id).sort()).toEqual(engineResident);
        } finally {
          await scheduler.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('an interactive job submitted mid-batch starts at the next stage boundary', async () => {
    const dir = await tempDir();
    const gpuChain = fc.array(fc.constantFrom(...GPU_MODELS), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(gpuChain, { minLength: 2, maxLength: 5 }), gpuChain, fc.integer({ min: 1, max: 3 }), async (batch, interactive, after) => {
        const engine = testEngine();
        const scheduler = await testScheduler(engine, { starvationBoundaries: 1_000 });
        const { starts, submittedAt } = watchStarts(scheduler);
        try {
          for (const [i, models] of batch.entries()) await scheduler.submit(chain(`b${i}`, models, dir));
          await until(() => starts.length >= Math.min(after, batch.flat().length));
          const job = await scheduler.submit(chain('interactive', interactive, dir, 'interactive'));
          await scheduler.idle();
          const first = starts.find((s) => s.jobId === job.id) as (typeof starts)[number];
          // Nothing else started between the submission and the interactive job's first stage.
          expect(first.order).toBe(submittedAt.get(job.id));
          // And once it runs, it keeps the GPU until it is done: its stages come one after another.
          const own = starts.filter((s) => s.jobId === job.id).map((s) => s.order);
          expect(own).toEqual(own.map((_, i) => first.order + i));
        } finally {
          await scheduler.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('cancel ends the job as cancelled, frees the memory only it needed, and the rest still finish', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(arbJob, { minLength: 2, maxLength: 5 }), fc.nat(), fc.integer({ min: 0, max: 6 }), async (jobs, pick, afterStarts) => {
        const engine = testEngine();
        const scheduler = await testScheduler(engine);
        const { starts } = watchStarts(scheduler);
        try {
          const ids: string[] = [];
          for (const [i, job] of jobs.entries()) ids.push((await scheduler.submit(chain(`j${i}`, job.models, dir))).id);
          const victim = pick % jobs.length;
          await until(() => starts.length >= afterStarts || scheduler.list({ active: true }).length === 0);
          const cancelled = await scheduler.cancel(ids[victim] as string);
          const endedBefore = cancelled.status === 'done';
          if (!endedBefore) {
            expect(cancelled.status).toBe('cancelled');
            expect(cancelled.stages.every((s) => s.status === 'done' || s.status === 'cancelled')).toBe(true);
          }
          await scheduler.idle();
          await new Promise((r) => setTimeout(r, 10)); // let the simulated allocator hand memory back
          for (const [i, r] of ids.entries()) if (i !== victim) expect(scheduler.get(r)?.status).toBe('done');
          const engineModels = await engine.models();
          const resident = engineModels.filter((m) => m.resident).map((m) => m.id);
          if (!endedBefore) {
            const onlyVictim = jobs[victim]!.models.filter((m) => m !== null && jobs.every((j, i) => i === victim || !j.models.includes(m)));
            for (const m of onlyVictim) expect(resident).not.toContain(m);
          }
          // Accounting agrees with the engine, and the card shows exactly the resident models.
          expect(scheduler.memory().resident.map((m) => m.id).sort()).toEqual([...resident].sort());
          const expectedUsed = resident.filter(isGpu).reduce((a, m) => a + footprintOf(m), 0);
          expect((await engine.memory())?.usedMb).toBe(expectedUsed);
          expect(engine.stats().peakUsedMb).toBeLessThanOrEqual(10_000);
        } finally {
          await scheduler.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
