import type { JobPriority } from './scheduler-types.js';

/** A stage that has not started yet, as the planner sees it. */
export interface PlannerStage {
  jobId: string;
  stageId: string;
  /** Null for model-less stages. */
  model: string | null;
  /** 'cpu' for model-less stages and cpu models: they never touch the VRAM budget. */
  lane: 'gpu' | 'cpu';
  priority: JobPriority;
  /** Submission order of the job (smaller = older). */
  arrival: number;
  /** Position of the stage in its job. */
  index: number;
  /** Dependencies done and not backing off after a transient error. */
  ready: boolean;
  /** Unfinished stages that must end first (0 when ready): how soon its model is needed. */
  depth: number;
  /** Stage boundaries this stage was ready for but passed over (starvation guard). */
  waited: number;
}

/**
 * How the runtime orders work. `batch` is adstudio's planner; `fifo` and `job-serial` exist so the
 * benchmark can measure the simpler policies on the same machinery.
 */
export interface SchedulingPolicy {
  /** batch: resident models' stages first, then load for the oldest; fifo: oldest ready stage; job-serial: one job at a time. */
  order: 'batch' | 'fifo' | 'job-serial';
  /** Keep models resident after their stage while the budget allows (false: unload after every stage). */
  keepWarm: boolean;
  /** Run CPU stages at the same time as GPU stages (false: one lane for everything). */
  overlapCpu: boolean;
  /** Interactive jobs go ahead of batch jobs at the next stage boundary. */
  priorities: boolean;
  /** A batch stage passed over this many boundaries goes next, ahead of interactive work. */
  starvationBoundaries: number;
}

export interface PlannerInput {
  /** Every stage that has not started, of every active job. */
  stages: readonly PlannerStage[];
  /** GPU models resident now (as accounted by the scheduler). */
  resident: readonly string[];
  /** MB accounted per GPU model. */
  footprintMb: (model: string) => number;
  budgetMb: number;
  /**
   * Resident models a run outside the scheduler uses (a client's POST /v1/stages): they count against
   * the budget but are never evicted; a stage that could only run by evicting one waits.
   */
  pinned?: readonly string[];
  /** Which lanes are free now. With overlapCpu false both carry the same value. */
  free: { gpu: boolean; cpu: boolean };
  policy: SchedulingPolicy;
}

export interface StageRef {
  jobId: string;
  stageId: string;
}

export type GpuAction =
  /** Unload `evict` (least useful first), load `load` if set, then run the stage. */
  | { kind: 'run'; stage: StageRef; model: string; load: boolean; evict: string[] }
  /** The model cannot fit even on an empty card. */
  | { kind: 'fail'; stage: StageRef; model: string; reason: string };

export interface Plan {
  gpu: GpuAction | null;
  cpu: StageRef | null;
}
