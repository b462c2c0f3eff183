import type { SchedulingPolicy } from './planner-types.js';

/**
 * Named scheduling policies. `planner` is adstudio's; the other two reproduce simpler systems on
 * the same machinery, so the benchmark compares policies rather than implementations.
 */
export const POLICIES = {
  /** adstudio: batch equal stages on resident models, keep models warm, overlap CPU stages. */
  planner: { order: 'batch', keepWarm: true, overlapCpu: true, priorities: true, starvationBoundaries: 32 },
  /** One process that unloads every model after its stage (oldest ready stage first). */
  'unload-each-stage': { order: 'fifo', keepWarm: false, overlapCpu: true, priorities: true, starvationBoundaries: 32 },
  /** The seed system: one job at a time in a fresh process, every stage loads and unloads its model. */
  seed: { order: 'job-serial', keepWarm: false, overlapCpu: false, priorities: false, starvationBoundaries: Number.POSITIVE_INFINITY },
} as const satisfies Record<string, SchedulingPolicy>;

export type PolicyName = keyof typeof POLICIES;
