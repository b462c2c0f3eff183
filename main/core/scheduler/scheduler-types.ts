import type { AppErrorShape } from '../../../preload/contract/index.js';
import type { MemoryReport, ModelInfo, StageKind } from '../../engine/stage-engine.js';

/**
 * Jobs as the scheduler sees them (DESIGN.md §7): a graph of stages, each naming its model. Inputs
 * are file paths, or an output of an earlier stage of the same job. Everything here is JSON, so a
 * record written to disk reads back unchanged after a restart.
 */

/** A stage input: a file path, or `{ from: stageId, output: name }` of an earlier stage. */
export type StageInput = string | { from: string; output: string };

export interface StageSpec {
  /** Unique within the job, e.g. "detect", "erase". */
  id: string;
  kind: StageKind;
  /** Model id (see the engine's models()); null for stages that need none (e.g. compose on CPU). */
  model: string | null;
  inputs: Record<string, StageInput>;
  /** Output name → file path to write. */
  outputs: Record<string, string>;
  params?: Record<string, unknown>;
  /** Stage ids that must finish first (implied by `from` inputs too). */
  after?: string[];
}

/** Interactive work (an erase preview from the editor) goes ahead of batch work at the next stage boundary. */
export type JobPriority = 'interactive' | 'batch';

export interface JobSpec {
  /** Shown in the Jobs panel, e.g. "Erase text — ad-01.png". */
  title: string;
  priority: JobPriority;
  stages: StageSpec[];
  /**
   * False when the submitter reads the outputs and removes them (the editor's own jobs put the result
   * in the asset store): the Jobs panel then offers no result paths. Default true.
   */
  outputsKept?: boolean;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type StageStatus = 'waiting' | 'loading' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StageRecord {
  id: string;
  status: StageStatus;
  /** Steps done of total for the running stage (step granularity); 0/0 before it starts. */
  step: number;
  totalSteps: number;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Output name → path written, once done. */
  outputs: Record<string, string>;
  madeBy: string | null;
  error: AppErrorShape | null;
  /** The engine's id for the run while it runs remotely (lets a restarted app pick it up again). */
  remoteRunId?: string | null;
  /** Why the stage is waiting again or what happened to it (retry, requeue after a crash or a restart). */
  note?: string | null;
}

export interface JobRecord {
  id: string;
  spec: JobSpec;
  status: JobStatus;
  /** 0..1, monotonic: stage steps weighted by measured stage durations. */
  progress: number;
  /** Seconds left, estimated from history; null while unknown. */
  etaSeconds: number | null;
  stages: StageRecord[];
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: AppErrorShape | null;
  /** True when the engine that ran it simulates VRAM and timings. */
  simulated: boolean;
  /** Which engine runs it, when the app drives several (set by the SchedulerHub, not stored). */
  engine?: string;
}

/** What the VRAM bar shows. */
export interface MemoryView {
  /** Null when the engine has no GPU (the embedded engine). */
  gpu: MemoryReport | null;
  /** Models resident now, with what the scheduler accounts for each. */
  resident: Array<Pick<ModelInfo, 'id' | 'label' | 'device' | 'footprintMb'>>;
  simulated: boolean;
}

export type SchedulerEvent =
  | { type: 'job'; job: JobRecord }
  | { type: 'memory'; memory: MemoryView }
  | { type: 'model'; action: 'load' | 'unload'; model: string; phase: 'start' | 'done' | 'failed'; ms?: number };

/** The scheduler's public face (Jobs panel, CLI, MCP, the engine server's /v1/jobs). */
export interface JobScheduler {
  submit(spec: JobSpec): Promise<JobRecord>;
  get(jobId: string): JobRecord | null;
  /** Newest first; `active` = queued or running only. */
  list(filter?: { active?: boolean }): JobRecord[];
  /** Cancels at step granularity; resolves once the job's record says cancelled (or it already ended). */
  cancel(jobId: string): Promise<JobRecord>;
  /** A failed or cancelled job again, as a new job from its first unfinished stage. */
  retry(jobId: string): Promise<JobRecord>;
  memory(): MemoryView;
  subscribe(listener: (event: SchedulerEvent) => void): () => void;
  /** Stops taking work; running stages finish or are cancelled; records stay on disk. */
  close(): Promise<void>;
}
