import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { JobRecord } from '../../core/scheduler/scheduler-types.js';
import { DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS } from '../job-runner.js';
import { jobView } from '../job-view.js';
import type { McpContext } from '../mcp-context.js';

/** Input fields several tools share. */
export const waitSeconds = z
  .number()
  .min(0)
  .max(MAX_WAIT_SECONDS)
  .optional()
  .describe(`Seconds to wait for the job before answering with its job_id and progress (default ${DEFAULT_WAIT_SECONDS}; 0 = return at once). Follow up with job_status.`);

export const filePath = (what: string) => z.string().min(1).max(4096).describe(`${what} (an absolute path inside an allowed folder)`);

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;
export const ALPHA_EXTENSIONS = ['.png', '.webp'] as const;

/** A private folder for one job's intermediate files (under the server's work root). */
export async function workFolder(ctx: McpContext): Promise<string> {
  const dir = join(ctx.workRoot, randomUUID());
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * What a job-running tool answers: the finished outputs, or — still running — the job id with
 * progress and what to call next. Failures and cancels are tool errors (isError) with the reason.
 */
export function jobAnswer(ctx: McpContext, record: JobRecord, done: Record<string, unknown>): { value: Record<string, unknown>; isError: boolean } {
  const view = jobView(record, ctx.workRoot);
  if (record.status === 'done') {
    return { value: { status: 'done', job_id: record.id, ...done, made_by: record.stages.map((s) => s.madeBy).filter(Boolean), simulated: record.simulated }, isError: false };
  }
  if (record.status === 'failed') {
    return { value: { status: 'failed', job_id: record.id, error: view.error ?? 'the job failed', stages: view.stages }, isError: true };
  }
  if (record.status === 'cancelled') {
    return { value: { status: 'cancelled', job_id: record.id, error: 'the job was cancelled before it finished; no output was written' }, isError: true };
  }
  return {
    value: {
      status: record.status,
      job_id: record.id,
      progress: view.progress,
      eta_seconds: view.eta_seconds,
      stages: view.stages.map((s) => `${s.id}: ${s.status}`),
      next: `still ${record.status}: call job_status with job_id "${record.id}" (wait_seconds to wait), or cancel_job`,
      will_write: done,
      simulated: record.simulated,
    },
    isError: false,
  };
}
