/**
 * npm run bench:scheduler — the VRAM-aware scheduler against two simpler policies, in SIMULATED
 * VRAM (no GPU is used). 10 queued jobs on a 22 GB budget: 5 "erase text" (detect → LaMa erase →
 * diffusion refine) and 5 "product ad" (cut-out → diffusion background → compose on the CPU).
 *
 * Times run scaled down (--scale=N runs 1/N of real time, default 200) and are printed unscaled.
 * Every figure comes from main/core/scheduler/model-catalog.ts, which names its source.
 * Usage: npm run bench:scheduler [-- --scale=200]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createMemoryJobStore } from '../main/core/scheduler/job-store.js';
import { eraseTextJob, productAdJob } from '../main/core/scheduler/job-templates.js';
import { CPU_STAGE_ESTIMATES, CPU_STAGE_SOURCE, MODEL_CATALOG, catalogModel, catalogRun } from '../main/core/scheduler/model-catalog.js';
import type { PolicyName } from '../main/core/scheduler/policies.js';
import { createScheduler } from '../main/core/scheduler/scheduler.js';
import type { JobSpec } from '../main/core/scheduler/scheduler-types.js';
import { createSimulatedEngine } from '../main/engine/simulated/simulated-engine.js';

const TOTAL_MB = 24 * 1024;
const BUDGET_MB = 22 * 1024;
const MEMORY_LAG_MS = 1_500;
const INTERACTIVE_AFTER_GPU_STARTS = 12;

const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const SCALE_DIV = scaleArg ? Number(scaleArg.slice('--scale='.length)) : 200;
if (!(SCALE_DIV >= 1)) throw new Error('--scale=N needs N >= 1 (runs at 1/N of real time).');
const SCALE = 1 / SCALE_DIV;

const POLICY_LABELS: Record<PolicyName, string> = {
  seed: '(a) seed: process per job, unload after every stage',
  'unload-each-stage': '(b) one process, unload after every stage',
  planner: '(c) adstudio planner',
};
const ORDER: PolicyName[] = ['seed', 'unload-each-stage', 'planner'];

interface RunResult {
  loads: number;
  unloads: number;
  loadsByModel: Record<string, number>;
  makespanS: number;
  peakMb: number;
  failed: string[];
  interactive?: { boundaries: number; waitS: number; doneS: number };
}

async function runOnce(policy: PolicyName, specs: JobSpec[], interactive: JobSpec | null): Promise<RunResult> {
  const engine = createSimulatedEngine({ timeScale: SCALE, totalMb: TOTAL_MB, budgetMb: BUDGET_MB, memoryLagMs: MEMORY_LAG_MS });
  const scheduler = await createScheduler({
    engine,
    store: createMemoryJobStore(),
    policy,
    // The scheduler's own waits are real time: scale them like the engine's.
    memoryWait: { pollMs: Math.max(1, 250 * SCALE), timeoutMs: 120_000 * SCALE + 1_000 },
    healthPollMs: 0,
  });
  const gpu = (model: string | null) => model !== null && catalogModel(model)?.device === 'gpu';
  const started = new Set<string>();
  const finished = new Set<string>();
  let gpuStarts = 0;
  let gpuDone = 0;
  let interactiveId: string | null = null;
  let submittedAt = 0;
  let doneAtSubmit = 0;
  const result: RunResult['interactive'] = { boundaries: -1, waitS: -1, doneS: -1 };
  const t0 = performance.now();
  const seconds = (t: number) => (t - t0) / 1000 / SCALE;

  scheduler.subscribe((event) => {
    if (event.type !== 'job') return;
    const job = event.job;
    job.stages.forEach((stage, i) => {
      const model = job.spec.stages[i]?.model ?? null;
      const key = `${job.id}/${stage.id}`;
      if ((stage.status === 'loading' || stage.status === 'running') && !started.has(key)) {
        started.add(key);
        if (job.id === interactiveId && result.boundaries < 0) {
          result.boundaries = gpuDone - doneAtSubmit;
          result.waitS = seconds(performance.now()) - seconds(submittedAt);
        }
        if (gpu(model)) {
          gpuStarts++;
          if (interactive && gpuStarts === INTERACTIVE_AFTER_GPU_STARTS && interactiveId === null) {
            interactiveId = 'pending';
            submittedAt = performance.now();
            doneAtSubmit = gpuDone;
            void scheduler.submit(interactive).then((r) => {
              interactiveId = r.id;
            });
          }
        }
      }
      if (stage.status === 'done' && !finished.has(key)) {
        finished.add(key);
        if (gpu(model)) gpuDone++;
      }
    });
    if (job.id === interactiveId && job.status === 'done') result.doneS = seconds(performance.now()) - seconds(submittedAt);
  });

  for (const spec of specs) await scheduler.submit(spec);
  await scheduler.idle();
  // The interactive job is submitted from an event; wait for it too.
  while (interactive && (interactiveId === null || interactiveId === 'pending')) await new Promise((r) => setTimeout(r, 1));
  await scheduler.idle();
  const makespanS = seconds(performance.now());
  const stats = engine.stats();
  const failed = scheduler.list().filter((j) => j.status !== 'done').map((j) => `${j.spec.title}: ${j.status} ${j.error?.message ?? ''}`);
  await scheduler.close();
  return { loads: stats.loads, unloads: stats.unloads, loadsByModel: stats.loadsByModel, makespanS, peakMb: stats.peakUsedMb, failed, ...(interactive ? { interactive: result } : {}) };
}

function jobs(dir: string, images: { ad: string; product: string }, refineModel: string): JobSpec[] {
  const specs: JobSpec[] = [];
  for (let i = 0; i < 5; i++) specs.push(eraseTextJob({ title: `erase ${i + 1}`, image: images.ad, workDir: join(dir, `erase-${i}`), models: { refine: refineModel } }));
  for (let i = 0; i < 5; i++) specs.push(productAdJob({ title: `product ad ${i + 1}`, product: images.product, workDir: join(dir, `ad-${i}`) }));
  return specs;
}

const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;
const s = (sec: number) => `${Math.round(sec)} s`;
const pad = (text: string, n: number) => text.padEnd(n);
const lpad = (text: string, n: number) => text.padStart(n);

function distinctGpuModels(specs: JobSpec[]): string[] {
  return [...new Set(specs.flatMap((j) => j.stages.map((st) => st.model)).filter((m): m is string => m !== null && catalogModel(m)?.device === 'gpu'))];
}

function printTable(title: string, specs: JobSpec[], results: Map<PolicyName, RunResult>, withTargets: boolean): void {
  const distinct = distinctGpuModels(specs);
  const together = distinct.reduce((a, m) => a + (catalogModel(m)?.footprintMb ?? 0), 0);
  console.log(`\n${title}`);
  console.log(`  distinct GPU models: ${distinct.join(', ')} — ${gb(together)} together, ${together <= BUDGET_MB ? 'they fit in' : 'more than'} the ${gb(BUDGET_MB)} budget`);
  console.log(`  ${pad('policy', 52)}${lpad('loads', 6)}${lpad('unloads', 9)}${lpad('makespan', 10)}${lpad('peak VRAM', 11)}`);
  for (const p of ORDER) {
    const r = results.get(p) as RunResult;
    console.log(`  ${pad(POLICY_LABELS[p], 52)}${lpad(String(r.loads), 6)}${lpad(String(r.unloads), 9)}${lpad(s(r.makespanS), 10)}${lpad(gb(r.peakMb), 11)}`);
    for (const f of r.failed) console.log(`    NOT DONE ${f}`);
  }
  const c = results.get('planner') as RunResult;
  const a = results.get('seed') as RunResult;
  console.log(`  (c) loads per model: ${Object.entries(c.loadsByModel).map(([m, n]) => `${m} ×${n}`).join(', ')}`);
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  if (together <= BUDGET_MB) console.log(`  target (c) loads = distinct models (${distinct.length}): ${c.loads} — ${mark(c.loads === distinct.length)}`);
  else console.log(`  (no load target: the models do not fit together; fewest possible is ${distinct.length} loads)`);
  if (withTargets) console.log(`  target (c) makespan ≤ 0.5 × (a) = ${s(a.makespanS / 2)}: ${s(c.makespanS)} (${(c.makespanS / a.makespanS).toFixed(2)} × (a)) — ${mark(c.makespanS <= a.makespanS / 2)}`);
  else console.log(`  (c) makespan ${(c.makespanS / a.makespanS).toFixed(2)} × (a) (no target here: ${s(minimumRunS(specs))} of it is GPU run time that no policy can save)`);
  const peaks = ORDER.map((p) => (results.get(p) as RunResult).peakMb);
  console.log(`  target peak ≤ budget in every run: max ${gb(Math.max(...peaks))} of ${gb(BUDGET_MB)} — ${mark(peaks.every((p) => p <= BUDGET_MB))}`);
}

/** GPU stage run time of all jobs (one GPU stage at a time): a floor under every policy's makespan. */
function minimumRunS(specs: JobSpec[]): number {
  let ms = 0;
  for (const job of specs) for (const st of job.stages) if (st.model !== null && catalogModel(st.model)?.device === 'gpu') ms += catalogRun(catalogModel(st.model), st.kind).ms;
  return ms / 1000;
}

function printSources(specs: JobSpec[]): void {
  console.log('\nFigures used (catalog time, unscaled) and their sources:');
  for (const id of distinctGpuModels(specs)) {
    const m = MODEL_CATALOG.find((x) => x.id === id);
    if (!m) continue;
    const runs = Object.entries(m.run).map(([k, r]) => `${k} ${r.steps} step${r.steps === 1 ? '' : 's'} ${(r.ms / 1000).toFixed(1)} s`).join('; ');
    console.log(`  ${id}: ${gb(m.footprintMb)}, load ${(m.loadMs / 1000).toFixed(1)} s, unload ${(m.unloadMs / 1000).toFixed(1)} s, ${runs}`);
    console.log(`      source: ${m.source}`);
  }
  console.log(`  compose (CPU, no model): ${(CPU_STAGE_ESTIMATES.compose.ms / 1000).toFixed(1)} s — source: ${CPU_STAGE_SOURCE}`);
  console.log(`  card: ${gb(TOTAL_MB)} with a ${gb(BUDGET_MB)} budget — seed team, NVIDIA L4 (shared/reference/nanococoa-server.md)`);
  console.log(`  freed memory shows as free ${(MEMORY_LAG_MS / 1000).toFixed(1)} s after an unload returns — simulation parameter (allocator lag), not a measurement`);
  console.log('  (a) counts no process start-up per job (no measured figure): that favours (a).');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adstudio-bench-scheduler-'));
  try {
    const images = { ad: join(dir, 'ad.png'), product: join(dir, 'product.png') };
    for (const path of Object.values(images)) await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 200, g: 180, b: 160 } } }).png().toFile(path);
    const main = jobs(join(dir, 'main'), images, 'flux-dev');
    const tight = jobs(join(dir, 'tight'), images, 'sdxl');
    const interactive = eraseTextJob({ title: 'interactive erase', image: images.ad, workDir: join(dir, 'interactive'), priority: 'interactive' });

    console.log('adstudio scheduler benchmark — SIMULATED VRAM (no GPU is used; the simulated-VRAM engine runs on catalog figures)');
    console.log(`card ${gb(TOTAL_MB)}, budget ${gb(BUDGET_MB)}; runs at 1/${SCALE_DIV} of real time; every time below is unscaled seconds`);
    console.log('jobs: 5 × erase text (detect ppocr-det → erase lama → refine) + 5 × product ad (cutout birefnet → background flux-dev → compose on the CPU), all queued at once');
    const t = performance.now();
    // The runs are independent and mostly asleep: run them side by side.
    const runs = await Promise.all([
      ...ORDER.map((p) => runOnce(p, main, null).then((r) => ['main', p, r] as const)),
      ...ORDER.map((p) => runOnce(p, main, interactive).then((r) => ['interactive', p, r] as const)),
      ...ORDER.map((p) => runOnce(p, tight, null).then((r) => ['tight', p, r] as const)),
    ]);
    const pick = (scenario: string) => new Map(runs.filter(([sc]) => sc === scenario).map(([, p, r]) => [p, r]));
    printTable('1. refine on FLUX.1-dev (the seed\'s diffusion model)', main, pick('main'), true);
    const inter = pick('interactive');
    console.log(`\n2. an interactive erase submitted mid-batch (when the ${INTERACTIVE_AFTER_GPU_STARTS}th GPU stage starts), same 10 jobs`);
    for (const p of ORDER) {
      const r = (inter.get(p) as RunResult).interactive;
      if (!r) continue;
      console.log(`  ${pad(POLICY_LABELS[p], 52)} waited ${r.boundaries} stage boundar${r.boundaries === 1 ? 'y' : 'ies'} (${s(r.waitS)}), done ${s(r.doneS)} after submit`);
    }
    const c = (inter.get('planner') as RunResult).interactive;
    if (c) console.log(`  target (c) starts within one stage boundary: ${c.boundaries} — ${c.boundaries <= 1 ? 'met' : 'MISSED'}`);
    printTable('3. refine on SDXL instead (5 GPU models, more than the budget together)', tight, pick('tight'), false);
    printSources([...main, ...tight]);
    console.log(`\n(bench wall time ${((performance.now() - t) / 1000).toFixed(1)} s; scheduling and disk overheads are real time, so they show up ×${SCALE_DIV} in the figures)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
