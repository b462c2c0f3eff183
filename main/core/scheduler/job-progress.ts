import type { ModelEstimates } from './model-estimates.js';
import type { JobRecord, JobSpec, StageRecord } from './scheduler-types.js';

/**
 * Job progress is the stages' step fractions weighted by their expected durations (history, else
 * the catalog), so a 2-minute diffusion stage counts for more than a half-second detection. Weights
 * are fixed when the job is submitted; the runtime keeps the value monotonic on top.
 */

export interface StageWeights {
  /** Expected run time per stage, ms (index = position in the spec). */
  ms: number[];
  /** False where nothing was known (weight is a guess): the ETA stays null while such a stage remains. */
  known: boolean[];
}

const GUESS_MS = 5_000;

export function stageWeights(spec: JobSpec, estimates: ModelEstimates): StageWeights {
  const ms: number[] = [];
  const known: boolean[] = [];
  for (const stage of spec.stages) {
    const expected = estimates.expectedRunMs(stage.model, stage.kind);
    ms.push(Math.max(1, expected ?? GUESS_MS));
    known.push(expected !== null);
  }
  return { ms, known };
}

export function stageFraction(stage: StageRecord): number {
  if (stage.status === 'done') return 1;
  if (stage.status === 'running' && stage.totalSteps > 0) return Math.min(1, Math.max(0, stage.step / stage.totalSteps));
  return 0;
}

/** 0..1 from the stages' fractions; the caller keeps it monotonic. */
export function weightedProgress(job: JobRecord, weights: StageWeights): number {
  let done = 0;
  let total = 0;
  job.stages.forEach((stage, i) => {
    const w = weights.ms[i] ?? GUESS_MS;
    total += w;
    done += w * stageFraction(stage);
  });
  return total > 0 ? done / total : 0;
}

/**
 * Seconds left: remaining expected run time of unfinished stages (a running stage extrapolates
 * from its own pace once it has done a step), plus loads of needed models not resident now.
 * Null while a remaining stage has no estimate.
 */
export function estimateEtaSeconds(
  job: JobRecord,
  weights: StageWeights,
  estimates: ModelEstimates,
  resident: ReadonlySet<string>,
  now: number,
): number | null {
  let ms = 0;
  const toLoad = new Set<string>();
  for (let i = 0; i < job.stages.length; i++) {
    const stage = job.stages[i] as StageRecord;
    const spec = job.spec.stages[i];
    if (stage.status === 'done' || !spec) continue;
    if (!weights.known[i]) return null;
    const expected = weights.ms[i] as number;
    if (stage.status === 'running' && stage.startedAt !== null && stage.step > 0 && stage.totalSteps > 0) {
      const elapsed = Math.max(0, now - stage.startedAt);
      ms += (elapsed / stage.step) * (stage.totalSteps - stage.step);
    } else {
      ms += expected * (1 - stageFraction(stage));
    }
    if (stage.status !== 'running' && spec.model !== null && estimates.device(spec.model) === 'gpu' && !resident.has(spec.model)) toLoad.add(spec.model);
  }
  for (const model of toLoad) ms += estimates.expectedLoadMs(model);
  return Math.round(ms / 100) / 10;
}
