import { isInside } from '../core/paths/allowed-roots.js';
import type { JobRecord } from '../core/scheduler/scheduler-types.js';

export const TERMINAL_STATUSES = new Set(['done', 'failed', 'cancelled']);

export interface JobView {
  job_id: string;
  title: string;
  status: JobRecord['status'];
  /** 0..1, never goes down. */
  progress: number;
  eta_seconds: number | null;
  stages: Array<{
    id: string;
    kind: string;
    model: string | null;
    status: string;
    step: number;
    total_steps: number;
    made_by: string | null;
    error: string | null;
    note: string | null;
  }>;
  /** "stage.output" → file path written, for outputs inside the allowed folders. */
  outputs: Record<string, string>;
  error: string | null;
  simulated: boolean;
  created_at: string;
  finished_at: string | null;
}

/**
 * A job record as a tool answers it: status, progress, per-stage state and the files written.
 * Intermediate files the server keeps for itself (under `workRoot`) are left out: the agent cannot
 * open them anyway, and they are removed once the job ends.
 */
export function jobView(record: JobRecord, workRoot: string): JobView {
  const outputs: Record<string, string> = {};
  for (const stage of record.stages) {
    for (const [name, path] of Object.entries(stage.outputs)) if (!isInside(workRoot, path)) outputs[`${stage.id}.${name}`] = path;
  }
  return {
    job_id: record.id,
    title: record.spec.title,
    status: record.status,
    progress: Math.round(record.progress * 1000) / 1000,
    eta_seconds: record.etaSeconds === null ? null : Math.round(record.etaSeconds),
    stages: record.stages.map((s, i) => {
      const spec = record.spec.stages[i];
      return {
        id: s.id,
        kind: spec?.kind ?? 'unknown',
        model: spec?.model ?? null,
        status: s.status,
        step: s.step,
        total_steps: s.totalSteps,
        made_by: s.madeBy,
        error: s.error?.message ?? null,
        note: s.note ?? null,
      };
    }),
    outputs,
    error: record.error?.message ?? null,
    simulated: record.simulated,
    created_at: new Date(record.createdAt).toISOString(),
    finished_at: record.finishedAt === null ? null : new Date(record.finishedAt).toISOString(),
  };
}
