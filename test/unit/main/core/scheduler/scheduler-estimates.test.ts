import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileJobStore, createMemoryJobStore, ESTIMATES_FILE } from '../../../../../main/core/scheduler/job-store.js';
import { LearnedEstimatesKeeper } from '../../../../../main/core/scheduler/learned-estimates.js';
import { ModelEstimates } from '../../../../../main/core/scheduler/model-estimates.js';
import type { StageEngine } from '../../../../../main/engine/stage-engine.js';
import { chain, testEngine, testScheduler, TEST_MODELS } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

/** The simulated engine minus what only it can tell (peaks): what is left is the memory report, as with a real GPU engine. */
function withoutPeaks(options: Parameters<typeof testEngine>[0]) {
  const inner = testEngine(options);
  const engine: StageEngine = {
    ...inner,
    async models() {
      return (await inner.models()).map((m) => ({ ...m, observedPeakMb: null }));
    },
    async runStage(request, context) {
      const { outputs, madeBy } = await inner.runStage(request, context);
      return { outputs, madeBy };
    },
  };
  return { inner, engine };
}

describe('model footprints: declared, then corrected from what the engine reports', () => {
  const tempDir = useTempDirs();

  it('learns a footprint from the memory a load took, down as well as up, from recent loads only', async () => {
    const dir = await tempDir();
    const actual: Record<string, number> = { A: 3_000 }; // declared 4 GB
    const { engine } = withoutPeaks({ actualFootprintMb: actual });
    // Unload after every stage: every job loads A again, and every load is measured.
    const scheduler = await testScheduler(engine, { policy: 'unload-each-stage' });
    const runA = async (title: string) => {
      await scheduler.submit(chain(title, ['A'], dir));
      await scheduler.idle();
    };
    expect(scheduler.estimates.footprintMb('A')).toBe(4_000);
    await runA('first');
    expect(scheduler.estimates.footprintMb('A')).toBe(3_000);
    actual.A = 5_000;
    await runA('bigger');
    expect(scheduler.estimates.footprintMb('A')).toBe(5_000);
    // A one-off big load is forgotten once eight newer loads all say 3.5 GB.
    actual.A = 3_500;
    for (let i = 0; i < 7; i++) await runA(`smaller-${i}`);
    expect(scheduler.estimates.footprintMb('A')).toBe(5_000);
    await runA('smaller-7');
    expect(scheduler.estimates.footprintMb('A')).toBe(3_500);
    await scheduler.close();
  });

  it('while a model is resident its estimate never drops below what its load measurably took', () => {
    const estimates = new ModelEstimates({ catalog: TEST_MODELS });
    estimates.observeLoadMemory('A', 6_000);
    for (let i = 0; i < 10; i++) estimates.observePeak('A', 3_000);
    expect(estimates.footprintObservations('A')).toEqual(Array(8).fill(3_000));
    expect(estimates.footprintMb('A')).toBe(6_000);
    estimates.forgetResident('A');
    expect(estimates.footprintMb('A')).toBe(3_000);
    // After an out-of-memory load: at least the lower bound, at least a quarter more.
    expect(estimates.raiseAfterOutOfMemory('A', 3_100)).toBe(3_750);
    expect(estimates.raiseAfterOutOfMemory('A', 9_001)).toBe(9_001);
  });

  it('keeps what it learnt in the jobs folder: a restarted scheduler starts from it, not from the declaration', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    const first = await testScheduler(withoutPeaks({ actualFootprintMb: { A: 3_000, D: 6_200 } }).engine, { store: createFileJobStore(jobsDir) });
    await first.submit(chain('j', ['A', 'D'], work));
    await first.idle();
    const learntLoadMs = first.estimates.expectedLoadMs('D');
    await first.close();

    const file = JSON.parse(await readFile(join(jobsDir, ESTIMATES_FILE), 'utf8')) as { format: string; engines: Record<string, { models: Record<string, { footprintMb: number[] }> }> };
    expect(file.format).toBe('adstudio-model-estimates/1');
    expect(file.engines['simulated-gpu']?.models.A?.footprintMb).toEqual([3_000]);
    expect(file.engines['simulated-gpu']?.models.D?.footprintMb).toEqual([6_200]);
    // Written atomically: no temp file is left, and the records folder still reads as one job.
    expect((await readdir(jobsDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const second = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir) });
    expect(second.list().length).toBe(1);
    expect(second.estimates.footprintMb('A')).toBe(3_000);
    expect(second.estimates.footprintMb('D')).toBe(6_200);
    expect(second.estimates.expectedLoadMs('D')).toBe(Math.round(learntLoadMs));
    await second.close();
  });

  it('starts from the declared figures when the estimates file is damaged, and says so', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    await createFileJobStore(jobsDir).load();
    await writeFile(join(jobsDir, ESTIMATES_FILE), '{"format": "adstudio-model-estimates/1", "engines": {');
    const logs: string[] = [];
    const scheduler = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir), log: (m) => logs.push(m) });
    expect(scheduler.estimates.footprintMb('A')).toBe(4_000);
    expect(logs.join('\n')).toMatch(/\.model-estimates\.json is unreadable .*starting from the declared figures/);
    // Not a job record: never moved aside as one.
    expect(await readdir(jobsDir)).toEqual([ESTIMATES_FILE]);
    await scheduler.close();
  });

  it('a folder shared by two engines keeps each engine\'s figures', async () => {
    const store = createMemoryJobStore();
    const gpuBox = new ModelEstimates({ catalog: TEST_MODELS });
    const keeperA = new LearnedEstimatesKeeper(store, 'engine-a', gpuBox, () => undefined);
    await keeperA.restore();
    gpuBox.observeLoadMemory('A', 4_200);
    keeperA.schedule();
    await keeperA.flush();

    const other = new ModelEstimates({ catalog: TEST_MODELS });
    const keeperB = new LearnedEstimatesKeeper(store, 'engine-b', other, () => undefined);
    await keeperB.restore();
    expect(other.footprintMb('A')).toBe(4_000);
    other.observeLoadMemory('A', 3_900);
    keeperB.schedule();
    await keeperB.flush();

    const again = new ModelEstimates({ catalog: TEST_MODELS });
    await new LearnedEstimatesKeeper(store, 'engine-a', again, () => undefined).restore();
    expect(again.footprintMb('A')).toBe(4_200);
  });
});
