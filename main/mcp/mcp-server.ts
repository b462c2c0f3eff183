import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './mcp-context.js';
import { registerAdTools } from './tools/ad-tools.js';
import { registerInfoTools } from './tools/info-tools.js';
import { registerJobTools } from './tools/job-tools.js';
import { registerTextTools } from './tools/text-tools.js';

/** Every tool, in the order clients list them. */
export const TOOL_NAMES = ['detect_text', 'erase_text', 'cutout', 'generate_background', 'compose_ad', 'job_status', 'cancel_job', 'list_fonts', 'engine_status'] as const;

/**
 * adstudio as an MCP server: its work as tools over file paths. One McpServer per connection (the
 * SDK binds a server to one transport); all of them share the context — one engine, one scheduler.
 */
export function createAdstudioMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: 'adstudio', title: 'adstudio', version: ctx.version },
    {
      instructions:
        'adstudio edits ad images with local AI. Every image goes in and out as a file path; tools never return image data. ' +
        `Paths must be absolute and inside these folders: ${ctx.paths.list().join(', ')}. ` +
        'Long work runs as a job: a tool waits briefly (wait_seconds) and otherwise answers with a job_id; follow it with job_status, stop it with cancel_job. ' +
        'engine_status says which stages the engine has.',
    },
  );
  registerTextTools(server, ctx);
  registerAdTools(server, ctx);
  registerJobTools(server, ctx);
  registerInfoTools(server, ctx);
  return server;
}
