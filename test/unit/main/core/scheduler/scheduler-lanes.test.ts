import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../../../../../main/core/scheduler/model-catalog.js';
import { POLICIES } from '../../../../../main/core/scheduler/policies.js';
import type { StageEngine } from '../../../../../main/engine/stage-engine.js';
import { chain, testEngine, testScheduler, TEST_MODELS } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * CPU stages (compose, no model) run in their own lane beside GPU work: on the simulated engine, a
 * compose stage's real run overlaps a diffusion stage's real run in time — and does not when the
 * policy keeps one lane for everything (the seed's), which is what makes the check mean something.
 */

const GPU_LONG: CatalogModel = { id: 'G', label: 'long GPU', device: 'gpu', stages: ['background'], footprintMb: 4000, loadMs: 5, unloadMs: 2, run: { background: { ms: 300, steps: 10 } }, source: 'test' };
const MODELS = [...TEST_MODELS, GPU_LONG];

interface Span {
  model: string | null;
  start: number;
  end: number;
}

/** Records when each stage really ran on the engine (its runStage call, start to end). */
function recordSpans(engine: StageEngine): Span[] {
  const spans: Span[] = [];
  const run = engine.runStage.bind(engine);
  engine.runStage = async (request, context) => {
    const start = performance.now();
    try {
      return await run(request, context);
    } finally {
      spans.push({ model: request.model, start, end: performance.now() });
    }
  };
  return spans;
}

async function runBoth(dir: string, overlapCpu: boolean): Promise<{ gpu: Span; cpu: Span }> {
  const engine = testEngine({ models: MODELS, cpuStages: { compose: { ms: 300, steps: 3 } } });
  const spans = recordSpans(engine);
  const policy = { ...POLICIES.planner, overlapCpu };
  const scheduler = await testScheduler(engine, { catalog: MODELS, policy });
  try {
    const gpuJob = await scheduler.submit(chain('diffuse', ['G'], dir));
    const cpuJob = await scheduler.submit(chain('compose', [null], dir));
    await scheduler.idle();
    expect(scheduler.get(gpuJob.id)!.status).toBe('done');
    expect(scheduler.get(cpuJob.id)!.status).toBe('done');
  } finally {
    await scheduler.close();
  }
  return { gpu: spans.find((s) => s.model === 'G')!, cpu: spans.find((s) => s.model === null)! };
}

describe('scheduler runtime: CPU lane beside the GPU lane', () => {
  const tempDir = useTempDirs();

  it('runs a CPU stage at the same time as a GPU stage (their run times overlap)', async () => {
    const { gpu, cpu } = await runBoth(await tempDir(), true);
    const overlap = Math.min(gpu.end, cpu.end) - Math.max(gpu.start, cpu.start);
    // Both take 300 ms; run side by side they share most of it.
    expect(overlap).toBeGreaterThan(150);
    expect(Math.max(gpu.end, cpu.end) - Math.min(gpu.start, cpu.start)).toBeLessThan(gpu.end - gpu.start + (cpu.end - cpu.start));
  });

  it('with one lane for everything (the seed policy’s way) the same two stages never overlap', async () => {
    const { gpu, cpu } = await runBoth(await tempDir(), false);
    expect(cpu.start >= gpu.end || gpu.start >= cpu.end).toBe(true);
  });
});
