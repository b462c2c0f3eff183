import { join } from 'node:path';
import { createMemoryJobStore, type JobStore } from '../../../../../main/core/scheduler/job-store.js';
import type { CatalogModel } from '../../../../../main/core/scheduler/model-catalog.js';
import { createScheduler, type SchedulerOptions, type SchedulerRuntime } from '../../../../../main/core/scheduler/scheduler.js';
import type { JobPriority, JobRecord, JobSpec, StageSpec } from '../../../../../main/core/scheduler/scheduler-types.js';
import { createSimulatedEngine, type SimulatedEngineOptions } from '../../../../../main/engine/simulated/simulated-engine.js';
import { STAGE_KINDS, type StageEngine, type StageKind } from '../../../../../main/engine/stage-engine.js';

/** Small, fast models (catalog ms at timeScale 1): the whole runtime runs in milliseconds. */
export const TEST_MODELS: CatalogModel[] = [
  { id: 'A', label: 'A', device: 'gpu', stages: ['background'], footprintMb: 4000, loadMs: 8, unloadMs: 2, run: { background: { ms: 4, steps: 2 } }, source: 'test' },
  { id: 'B', label: 'B', device: 'gpu', stages: ['inpaint'], footprintMb: 3000, loadMs: 6, unloadMs: 2, run: { inpaint: { ms: 3, steps: 1 } }, source: 'test' },
  { id: 'C', label: 'C', device: 'gpu', stages: ['cutout'], footprintMb: 2500, loadMs: 4, unloadMs: 1, run: { cutout: { ms: 2, steps: 1 } }, source: 'test' },
  { id: 'D', label: 'D', device: 'gpu', stages: ['refine'], footprintMb: 5000, loadMs: 10, unloadMs: 3, run: { refine: { ms: 30, steps: 6 } }, source: 'test' },
  { id: 'E', label: 'E', device: 'gpu', stages: ['detect_text'], footprintMb: 1500, loadMs: 3, unloadMs: 1, run: { detect_text: { ms: 1, steps: 1 } }, source: 'test' },
  { id: 'cpuM', label: 'cpu model', device: 'cpu', stages: ['render_text'], footprintMb: 100, loadMs: 2, unloadMs: 1, run: { render_text: { ms: 2, steps: 1 } }, source: 'test' },
];
export const GPU_MODELS = ['A', 'B', 'C', 'D', 'E'] as const;
export const footprintOf = (m: string) => TEST_MODELS.find((x) => x.id === m)?.footprintMb ?? 0;

/** Model-less stages take 2 ms (the catalog's CPU estimates are seconds). */
const CPU_STAGES = Object.fromEntries(STAGE_KINDS.map((k) => [k, { ms: 2, steps: 1 }]));

export function testEngine(options: SimulatedEngineOptions = {}) {
  return createSimulatedEngine({ models: TEST_MODELS, totalMb: 16_000, budgetMb: 10_000, timeScale: 1, memoryLagMs: 3, cpuStages: CPU_STAGES, ...options });
}

export function testScheduler(engine: StageEngine, options: Partial<SchedulerOptions> = {}): Promise<SchedulerRuntime> {
  return createScheduler({
    engine,
    store: createMemoryJobStore(),
    memoryWait: { pollMs: 1, timeoutMs: 2_000 },
    healthPollMs: 0,
    retry: { baseMs: 5, maxMs: 40 },
    crashRecoveryMs: 500,
    cancelGraceMs: 500,
    catalog: TEST_MODELS,
    ...options,
  });
}

const KIND: Record<string, StageKind> = Object.fromEntries(TEST_MODELS.map((m) => [m.id, m.stages[0] as StageKind]));

/** A chain of stages, each reading the previous one's output, one per model (null = CPU compose). */
export function chain(title: string, models: Array<string | null>, dir: string, priority: JobPriority = 'batch'): JobSpec {
  const stages: StageSpec[] = models.map((model, i) => ({
    id: `s${i}`,
    kind: model === null ? 'compose' : (KIND[model] ?? 'compose'),
    model,
    inputs: (i === 0 ? {} : { image: { from: `s${i - 1}`, output: 'image' } }) as StageSpec['inputs'],
    outputs: { image: join(dir, `${title}-s${i}.png`) },
  }));
  return { title, priority, stages };
}

export interface StageStart {
  jobId: string;
  stageId: string;
  model: string | null;
  order: number;
}

/** Records the order in which stages start (first time they are loading or running). */
export function watchStarts(scheduler: SchedulerRuntime): { starts: StageStart[]; jobs: Map<string, JobRecord[]>; submittedAt: Map<string, number> } {
  const starts: StageStart[] = [];
  const seen = new Set<string>();
  const jobs = new Map<string, JobRecord[]>();
  /** Per job: how many stages had started when the scheduler first announced it. */
  const submittedAt = new Map<string, number>();
  scheduler.subscribe((event) => {
    if (event.type !== 'job') return;
    if (!submittedAt.has(event.job.id)) submittedAt.set(event.job.id, starts.length);
    const history = jobs.get(event.job.id) ?? [];
    history.push(event.job);
    jobs.set(event.job.id, history);
    event.job.stages.forEach((stage, i) => {
      const key = `${event.job.id}/${stage.id}`;
      if ((stage.status === 'loading' || stage.status === 'running') && !seen.has(key)) {
        seen.add(key);
        starts.push({ jobId: event.job.id, stageId: stage.id, model: event.job.spec.stages[i]?.model ?? null, order: starts.length });
      }
    });
  });
  return { starts, jobs, submittedAt };
}

export const isGpu = (model: string | null) => model !== null && (GPU_MODELS as readonly string[]).includes(model);

export function memoryStore(): JobStore {
  return createMemoryJobStore();
}

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 1));
  }
}
