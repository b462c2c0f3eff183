import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DEFAULT_AD_FONT } from '../../../preload/contract/ad-layout.js';
import { bundledFonts } from '../../engine/fonts/font-catalog.js';
import { jobView } from '../job-view.js';
import type { McpContext } from '../mcp-context.js';
import { errorFrom, jsonResult } from '../tool-result.js';

const WEIGHT_NAMES: Record<number, string> = { 100: 'Thin', 200: 'ExtraLight', 300: 'Light', 400: 'Regular', 500: 'Medium', 600: 'SemiBold', 700: 'Bold', 800: 'ExtraBold', 900: 'Black' };

export function registerInfoTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'list_fonts',
    {
      title: 'Fonts for ad copy',
      description: 'The fonts bundled with adstudio that compose_ad texts may use (family and weights; Korean and Latin).',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      try {
        const fonts = bundledFonts();
        const families = [...new Set(fonts.map((f) => f.family))].map((family) => ({
          family,
          weights: fonts.filter((f) => f.family === family).map((f) => ({ weight: f.weight, name: WEIGHT_NAMES[f.weight] ?? String(f.weight), file: f.file })),
        }));
        return jsonResult({ default_family: DEFAULT_AD_FONT, families, ...(fonts.length === 0 ? { note: 'no bundled fonts were found in this installation (the "pretendard" package is missing)' } : {}) });
      } catch (e) {
        return errorFrom('list_fonts', e);
      }
    },
  );

  server.registerTool(
    'engine_status',
    {
      title: 'Engine and queue status',
      description:
        'What the engine can do (stages, erase methods), its health, GPU memory (and whether it is simulated), its models, the job queue, ' +
        'and the folders tools may read and write.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      try {
        const [caps, health, memory, models] = await Promise.all([
          ctx.engine.capabilities(),
          ctx.engine.health(),
          ctx.engine.memory().catch(() => null),
          ctx.engine.models().catch(() => []),
        ]);
        const view = ctx.scheduler.memory();
        const gpu = memory ?? health.gpu;
        return jsonResult({
          engine: { name: caps.engine, version: caps.version, protocol: caps.protocol, simulated: caps.simulated, stages: caps.stages, inpaint_methods: caps.inpaintMethods },
          health: { status: health.status, message: health.message ?? null },
          memory: gpu
            ? { device: gpu.device, total_mb: gpu.totalMb, used_mb: gpu.usedMb, budget_mb: gpu.budgetMb, simulated: gpu.simulated }
            : { device: 'none', note: 'this engine uses no GPU (CPU and RAM only)' },
          resident_models: view.resident.map((m) => ({ id: m.id, label: m.label, device: m.device, footprint_mb: m.footprintMb })),
          models: models.map((m) => ({ id: m.id, stage: m.stage, label: m.label, device: m.device, footprint_mb: m.footprintMb, resident: m.resident })),
          queue: ctx.scheduler.list({ active: true }).map((r) => jobView(r, ctx.workRoot)),
          simulated: caps.simulated || view.simulated,
          allowed_roots: ctx.paths.list(),
          server_version: ctx.version,
        });
      } catch (e) {
        return errorFrom('engine_status', e);
      }
    },
  );
}
