import { chooseEvictions, wouldEvictNeeded } from './eviction.js';
import type { GpuAction, Plan, PlannerInput, PlannerStage, SchedulingPolicy, StageRef } from './planner-types.js';

/**
 * The planner: a pure function from what is waiting, what is resident and the budget to what the
 * free lanes do next. The runtime calls it at every stage boundary.
 *
 * GPU lane (one stage at a time), adstudio's `batch` order:
 *  1. a batch stage passed over `starvationBoundaries` times goes first (no starvation);
 *  2. interactive stages go ahead of batch stages (when any is ready);
 *  3. among those, a stage whose model is resident runs first — equal stages of all jobs are
 *     batched on the resident model before anything is swapped;
 *  4. otherwise load the model of the oldest stage, preferring models that fit without unloading
 *     one a ready stage needs; evict the least useful models only as far as the budget demands.
 * Nothing is unloaded while it fits (models stay warm); the runtime unloads after every stage only
 * when the policy says keepWarm: false.
 *
 * CPU lane: one model-less or cpu-model stage at a time, same priority and age rules, in parallel
 * with the GPU lane (unless overlapCpu is false: then one lane runs everything).
 */
export function planNext(input: PlannerInput): Plan {
  const { policy } = input;
  const candidates = eligible(input.stages, policy);
  if (!policy.overlapCpu) {
    if (!input.free.gpu) return { gpu: null, cpu: null };
    const pick = choose(candidates, input);
    if (!pick) return { gpu: null, cpu: null };
    if (pick.lane === 'cpu') return { gpu: null, cpu: ref(pick) };
    return { gpu: gpuAction(pick, input), cpu: null };
  }
  const gpuPick = input.free.gpu ? choose(candidates.filter((s) => s.lane === 'gpu'), input) : null;
  const cpuPick = input.free.cpu ? pickOrdered(candidates.filter((s) => s.lane === 'cpu'), policy) : null;
  return { gpu: gpuPick ? gpuAction(gpuPick, input) : null, cpu: cpuPick ? ref(cpuPick) : null };
}

/** Ready stages the policy lets run now (job-serial: only the oldest unfinished job's). */
function eligible(stages: readonly PlannerStage[], policy: SchedulingPolicy): PlannerStage[] {
  if (policy.order !== 'job-serial') return stages.filter((s) => s.ready);
  let oldestJob = Infinity;
  for (const s of stages) oldestJob = Math.min(oldestJob, s.arrival);
  return stages.filter((s) => s.ready && s.arrival === oldestJob);
}

function choose(ready: PlannerStage[], input: PlannerInput): PlannerStage | null {
  if (ready.length === 0) return null;
  const { policy } = input;
  if (policy.order !== 'batch') return pickOrdered(ready, policy);
  const starving = starvingStage(ready, policy);
  if (starving) return starving;
  const pool = priorityPool(ready, policy);
  const resident = new Set(input.resident);
  // CPU stages need no load, so they count as warm when one lane runs everything.
  const warm = pool.filter((s) => s.lane === 'cpu' || (s.model !== null && resident.has(s.model)));
  if (warm.length) return oldest(warm);
  // A load is needed: prefer a model whose load leaves every ready stage's model resident.
  const gentle = pool.filter((s) => !wouldEvictNeeded(s.model as string, input.resident, input.footprintMb, input.budgetMb, input.stages, input.pinned));
  return oldest(gentle.length ? gentle : pool);
}

/** What the GPU lane does for `stage`; null: it waits (room is held by models in use outside the scheduler). */
function gpuAction(stage: PlannerStage, input: PlannerInput): GpuAction | null {
  const model = stage.model as string;
  if (input.resident.includes(model)) return { kind: 'run', stage: ref(stage), model, load: false, evict: [] };
  const evict = chooseEvictions(model, input.resident, input.footprintMb, input.budgetMb, input.stages, input.pinned);
  if (evict === null && input.footprintMb(model) <= input.budgetMb) return null;
  if (evict === null) {
    const gb = (mb: number) => (mb / 1024).toFixed(1);
    return {
      kind: 'fail',
      stage: ref(stage),
      model,
      reason: `Model "${model}" needs ${gb(input.footprintMb(model))} GB of VRAM, more than the budget of ${gb(input.budgetMb)} GB. Choose a smaller model or a bigger GPU.`,
    };
  }
  return { kind: 'run', stage: ref(stage), model, load: true, evict };
}

/** Starving first, then interactive before batch (if the policy has priorities), then oldest. */
function pickOrdered(ready: PlannerStage[], policy: SchedulingPolicy): PlannerStage | null {
  if (ready.length === 0) return null;
  if (policy.order === 'job-serial') return ready.reduce((a, b) => (b.index < a.index ? b : a));
  return starvingStage(ready, policy) ?? oldest(priorityPool(ready, policy));
}

function starvingStage(ready: PlannerStage[], policy: SchedulingPolicy): PlannerStage | null {
  const starving = ready.filter((s) => s.priority === 'batch' && s.waited >= policy.starvationBoundaries);
  return starving.length ? oldest(starving) : null;
}

function priorityPool(ready: PlannerStage[], policy: SchedulingPolicy): PlannerStage[] {
  if (!policy.priorities) return ready;
  const interactive = ready.filter((s) => s.priority === 'interactive');
  return interactive.length ? interactive : ready;
}

function oldest(stages: PlannerStage[]): PlannerStage {
  return stages.reduce((a, b) => (b.arrival < a.arrival || (b.arrival === a.arrival && b.index < a.index) ? b : a));
}

function ref(s: PlannerStage): StageRef {
  return { jobId: s.jobId, stageId: s.stageId };
}
