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

/**
 * Transient engine faults at random moments: busy answers, a crash of the engine process (down for
 * a while, every model and its memory gone), a stage that wedges while the engine stays healthy.
 */
const arbFault = fc.record({
  atMs: fc.integer({ min: 0, max: 60 }),
  kind: fc.constantFrom('busy', 'crash', 'stall'),
  count: fc.integer({ min: 1, max: 2 }),
  downMs: fc.integer({ min: 0, max: 40 }),
});
type Fault = { atMs: number; kind: 'busy' | 'crash' | 'stall'; count: number; downMs: number };

function inject(engine: ReturnType<typeof testEngine>, fault: Fault): void {
  if (fault.kind === 'busy') engine.simulateBusy(fault.count);
  else if (fault.kind === 'stall') engine.simulateStall(fault.count);
  else engine.simulateCrash({ downMs: fault.downMs });
}

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

  it('with random busy answers, crashes and stalls every job still ends (done, or failed with a reason), the budget holds, and cancel frees memory', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbJob, { minLength: 2, maxLength: 5 }),
        fc.array(arbFault, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 6_000, max: 12_000 }),
        fc.nat(),
        fc.nat({ max: 3 }),
        async (jobs, faults, budgetMb, pick, cancelAtStage) => {
          const engine = testEngine({ budgetMb });
          // A stall is noticed after 60 ms without progress (these stages take milliseconds).
          const scheduler = await testScheduler(engine, { stallWatch: { factor: 3, floorMs: 60 } });
          const timers: NodeJS.Timeout[] = [];
          try {
            const ids: string[] = [];
            for (const [i, job] of jobs.entries()) ids.push((await scheduler.submit(chain(`f${i}`, job.models, dir, job.interactive ? 'interactive' : 'batch'))).id);
            for (const fault of faults) timers.push(setTimeout(() => inject(engine, fault as Fault), fault.atMs));
            // Cancel the victim while one of its stages runs (its model resident), faults or not.
            const victim = pick % jobs.length;
            let cancelling: Promise<string> | null = null;
            const stop = scheduler.subscribe((e) => {
              if (cancelling || e.type !== 'job' || e.job.id !== ids[victim]) return;
              const running = e.job.stages.findIndex((st) => st.status === 'running');
              // Like a click in the Jobs panel: from outside the scheduler's own call, a moment later.
              const id = e.job.id;
              if (running >= Math.min(cancelAtStage, e.job.stages.length - 1)) cancelling = new Promise((r) => setTimeout(r, 0)).then(() => scheduler.cancel(id)).then((r) => r.status);
            });
            await scheduler.idle();
            stop();
            const victimStatus = cancelling ? await cancelling : scheduler.get(ids[victim] as string)!.status;
            await new Promise((r) => setTimeout(r, 10)); // let the simulated allocator hand memory back

            // Every job ended, and a failure always says why.
            for (const [i, id] of ids.entries()) {
              const r = scheduler.get(id)!;
              expect(['done', 'failed', ...(i === victim ? ['cancelled'] : [])]).toContain(r.status);
              if (r.status === 'failed') expect(r.error?.message ?? '').toMatch(/\w{8,}/);
              if (r.status === 'done') expect(r.progress).toBe(1);
              for (const stage of r.stages) expect(['done', 'failed', 'cancelled']).toContain(stage.status);
            }
            // The card never held more than the budget, crashes and retries included.
            expect(engine.stats().peakUsedMb).toBeLessThanOrEqual(budgetMb);
            // No memory is left behind: the card holds exactly what its resident models take...
            const engineModels = await engine.models();
            const resident = engineModels.filter((m) => m.resident).map((m) => m.id);
            expect((await engine.memory())?.usedMb).toBe(resident.filter(isGpu).reduce((a, m) => a + footprintOf(m), 0));
            // ...the scheduler counts every model that is really resident (after a crash between stages it may still count one the engine lost)...
            const accounted = scheduler.memory().resident.map((m) => m.id);
            for (const m of resident) expect(accounted).toContain(m);
            // ...and a cancelled job's own models were unloaded.
            if (victimStatus === 'cancelled') {
              const onlyVictim = jobs[victim]!.models.filter((m) => m !== null && jobs.every((j, i) => i === victim || !j.models.includes(m)));
              for (const m of onlyVictim) expect(resident).not.toContain(m);
            }
          } finally {
            for (const t of timers) clearTimeout(t);
            await scheduler.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
