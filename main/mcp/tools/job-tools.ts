import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import { waitForJob } from '../job-runner.js';
import { jobView } from '../job-view.js';
import type { McpContext } from '../mcp-context.js';
import { errorFrom, jsonResult } from '../tool-result.js';

const jobId = z.string().min(1).max(80).describe('The job_id a tool answered with');

export function registerJobTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'job_status',
    {
      title: 'Status of a job',
      description:
        'Status, progress (0–1, never goes down), ETA, each stage and the files written of a job started by another tool. ' +
        '`wait_seconds` waits for it to end first. A failed job is reported as a tool error with the reason.',
      inputSchema: {
        job_id: jobId,
        wait_seconds: z.number().min(0).max(600).optional().describe('Seconds to wait for the job to end before answering (default 0)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        const record = await waitForJob(ctx, args.job_id, args.wait_seconds ?? 0, extra);
        if (!record) throw new AppError('not-found', `there is no job "${args.job_id}" (job ids come from detect_text, erase_text, cutout, generate_background, compose_ad)`);
        const view = jobView(record, ctx.workRoot);
        return jsonResult(view, { isError: record.status === 'failed' });
      } catch (e) {
        return errorFrom('job_status', e);
      }
    },
  );

  server.registerTool(
    'cancel_job',
    {
      title: 'Cancel a job',
      description: 'Cancels a queued or running job at its next step; answers with its record once it has stopped. A job that already ended is left as it is.',
      inputSchema: { job_id: jobId },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      try {
        if (!ctx.scheduler.get(args.job_id)) throw new AppError('not-found', `there is no job "${args.job_id}"`);
        const record = await ctx.scheduler.cancel(args.job_id);
        return jsonResult(jobView(record, ctx.workRoot));
      } catch (e) {
        return errorFrom('cancel_job', e);
      }
    },
  );
}
