import { rm } from 'node:fs/promises';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { JobRecord, JobSpec } from '../core/scheduler/scheduler-types.js';
import { TERMINAL_STATUSES } from './job-view.js';
import type { McpContext } from './mcp-context.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** How long a tool waits for its job by default before answering with the job id, seconds. */
export const DEFAULT_WAIT_SECONDS = 10;
/** Longest wait a call may ask for (an MCP client's own request timeout may be shorter). */
export const MAX_WAIT_SECONDS = 600;

/**
 * Waits up to `seconds` for a job to end. While it waits, each progress change is sent to the client
 * as notifications/progress when the request carried a progressToken. If the client cancels the
 * request, the wait ends — and with `cancelOnAbort` (the call that started the job) the job is
 * cancelled too; a cancelled job_status poll leaves the job running. Resolves with the record as it
 * is when the wait ends.
 */
export async function waitForJob(ctx: McpContext, jobId: string, seconds: number, extra: ToolExtra | null, cancelOnAbort = false): Promise<JobRecord | null> {
  const first = ctx.scheduler.get(jobId);
  if (!first || TERMINAL_STATUSES.has(first.status) || seconds <= 0) return first;
  const token = extra?._meta?.progressToken;
  let sent = -1;
  const notify = (record: JobRecord) => {
    if (token === undefined || !extra) return;
    const progress = Math.round(record.progress * 1000) / 10;
    if (progress <= sent) return; // MCP progress must increase
    sent = progress;
    const running = record.stages.find((s) => s.status === 'running' || s.status === 'loading');
    const message = `${record.status}${running ? `: ${running.id} ${running.status}` : ''}${record.etaSeconds !== null ? `, about ${Math.round(record.etaSeconds)} s left` : ''}`;
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100, message } }).catch(() => undefined);
  };
  notify(first);
  return new Promise<JobRecord | null>((resolve) => {
    let done = false;
    const finish = (record: JobRecord | null) => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timer);
      extra?.signal.removeEventListener('abort', onAbort);
      resolve(record);
    };
    const unsubscribe = ctx.scheduler.subscribe((event) => {
      if (event.type !== 'job' || event.job.id !== jobId) return;
      notify(event.job);
      if (TERMINAL_STATUSES.has(event.job.status)) finish(event.job);
    });
    const timer = setTimeout(() => finish(ctx.scheduler.get(jobId)), seconds * 1000);
    // The client gave up on this call: the work it asked for stops too (only the call that started it).
    const onAbort = () => {
      if (!cancelOnAbort) return finish(ctx.scheduler.get(jobId));
      ctx.scheduler
        .cancel(jobId)
        .then(finish, () => finish(ctx.scheduler.get(jobId)));
    };
    extra?.signal.addEventListener('abort', onAbort, { once: true });
    // It may have ended between get() and subscribe().
    const now = ctx.scheduler.get(jobId);
    if (!now || TERMINAL_STATUSES.has(now.status)) finish(now);
  });
}

/** Submits a job and waits for it as waitForJob does. */
export async function submitAndWait(ctx: McpContext, spec: JobSpec, seconds: number, extra: ToolExtra | null): Promise<JobRecord> {
  const submitted = await ctx.scheduler.submit(spec);
  return (await waitForJob(ctx, submitted.id, seconds, extra, true)) ?? submitted;
}

/** Removes a job's intermediate folder once the job has ended (now, or whenever it does). */
export function removeWhenDone(ctx: McpContext, jobId: string, folder: string): void {
  const remove = () => void rm(folder, { recursive: true, force: true }).catch((e: Error) => ctx.log(`could not remove ${folder}: ${e.message}`));
  const record = ctx.scheduler.get(jobId);
  if (!record || TERMINAL_STATUSES.has(record.status)) return remove();
  const unsubscribe = ctx.scheduler.subscribe((event) => {
    if (event.type === 'job' && event.job.id === jobId && TERMINAL_STATUSES.has(event.job.status)) {
      unsubscribe();
      remove();
    }
  });
}
