import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import { probeImage } from '../../core/images/image-codec.js';
import type { StageSpec } from '../../core/scheduler/scheduler-types.js';
import { modelFor, requireStages } from '../engine-stages.js';
import { DEFAULT_WAIT_SECONDS, removeWhenDone, submitAndWait } from '../job-runner.js';
import type { McpContext } from '../mcp-context.js';
import { errorFrom, jsonResult } from '../tool-result.js';
import { filePath, IMAGE_EXTENSIONS, jobAnswer, waitSeconds, workFolder } from './tool-support.js';

/** Regions listed in a detect_text answer; the boxes file has them all. */
const MAX_LISTED_REGIONS = 60;

export function registerTextTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'detect_text',
    {
      title: 'Find the text in an image',
      description:
        'Finds Korean and Latin text lines in an image and writes a text mask (8-bit PNG, 255 = text, same size as the image) to `out`, ' +
        'optionally the regions as JSON to `boxes`. Answers with the paths and the regions found (box, score). Paths only: no image data.',
      inputSchema: {
        image: filePath('The image to search (PNG, JPEG or WebP)'),
        out: filePath('Where to write the text mask (.png)'),
        boxes: filePath('Optional: where to write the regions as JSON (.json)').optional(),
        wait_seconds: waitSeconds,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        await requireStages(ctx.engine, 'detect_text', ['detect_text']);
        const image = await ctx.paths.input(args.image, 'image');
        await probeImage(image, 'image');
        const out = await ctx.paths.output(args.out, 'out', ['.png']);
        const userBoxes = args.boxes ? await ctx.paths.output(args.boxes, 'boxes', ['.json']) : null;
        const work = await workFolder(ctx);
        const boxes = userBoxes ?? join(work, 'boxes.json');
        const stage: StageSpec = { id: 'detect', kind: 'detect_text', model: await modelFor(ctx.engine, 'detect_text'), inputs: { image }, outputs: { mask: out, boxes } };
        const record = await submitAndWait(ctx, { title: `Detect text — ${args.image}`, priority: 'interactive', stages: [stage] }, args.wait_seconds ?? DEFAULT_WAIT_SECONDS, extra);
        const done: Record<string, unknown> = { mask: out, boxes: userBoxes };
        if (record.status === 'done') Object.assign(done, await regionSummary(boxes));
        removeWhenDone(ctx, record.id, work);
        const answer = jobAnswer(ctx, record, done);
        return jsonResult(answer.value, { isError: answer.isError });
      } catch (e) {
        return errorFrom('detect_text', e);
      }
    },
  );

  server.registerTool(
    'erase_text',
    {
      title: 'Erase text (or any masked area) from an image',
      description:
        'Fills the masked area of `image` and writes the result to `out`; every pixel outside the mask stays as it was. ' +
        'Without `mask`, the text is found first (as detect_text) and that mask is erased; `mask_out` keeps it. ' +
        'The mask is an 8-bit image of the same size, 255 = erase. Answers with paths only.',
      inputSchema: {
        image: filePath('The image to erase from (PNG, JPEG or WebP)'),
        out: filePath('Where to write the result (.png, .jpg or .webp: the format follows the extension)'),
        mask: filePath('Optional: the mask to erase (same size as the image; 255 = erase). Without it, the text is detected first').optional(),
        mask_out: filePath('Optional, without `mask`: where to keep the detected text mask (.png)').optional(),
        method: z.string().min(1).max(64).optional().describe('Optional erase method (see engine_status: inpaint_methods); default the engine\'s best'),
        wait_seconds: waitSeconds,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        if (args.mask && args.mask_out) throw new AppError('bad-request', '"mask_out" only applies without "mask" (it keeps the detected mask)');
        await requireStages(ctx.engine, 'erase_text', args.mask ? ['inpaint'] : ['detect_text', 'inpaint']);
        const image = await ctx.paths.input(args.image, 'image');
        const size = await probeImage(image, 'image');
        const out = await ctx.paths.output(args.out, 'out', IMAGE_EXTENSIONS);
        const { model, params } = await eraseMethod(ctx, args.method);
        const work = await workFolder(ctx);
        const stages: StageSpec[] = [];
        let maskPath: string;
        let keptMask: string | null = null;
        if (args.mask) {
          maskPath = await ctx.paths.input(args.mask, 'mask');
          const m = await probeImage(maskPath, 'mask');
          if (m.width !== size.width || m.height !== size.height) {
            throw new AppError('size-mismatch', `the mask is ${m.width}×${m.height} but the image is ${size.width}×${size.height}; they must be the same size`);
          }
          keptMask = maskPath;
        } else {
          keptMask = args.mask_out ? await ctx.paths.output(args.mask_out, 'mask_out', ['.png']) : null;
          maskPath = keptMask ?? join(work, 'mask.png');
          stages.push({ id: 'detect', kind: 'detect_text', model: await modelFor(ctx.engine, 'detect_text'), inputs: { image }, outputs: { mask: maskPath, boxes: join(work, 'boxes.json') } });
        }
        stages.push({
          id: 'erase',
          kind: 'inpaint',
          model,
          inputs: { image, mask: args.mask ? maskPath : { from: 'detect', output: 'mask' } },
          outputs: { image: out },
          ...(params ? { params } : {}),
        });
        const record = await submitAndWait(ctx, { title: `Erase text — ${args.image}`, priority: 'interactive', stages }, args.wait_seconds ?? DEFAULT_WAIT_SECONDS, extra);
        removeWhenDone(ctx, record.id, work);
        const answer = jobAnswer(ctx, record, { image: out, mask: keptMask });
        return jsonResult(answer.value, { isError: answer.isError });
      } catch (e) {
        return errorFrom('erase_text', e);
      }
    },
  );
}

/**
 * A method that names one of the engine's inpaint models runs on it (the scheduler budgets and loads
 * it); when the engine also lists it as an erase method (the embedded engine's "lama"), the method goes
 * along in params, since that is what the engine runs. Other names are the engine's model-less methods.
 */
export async function eraseMethod(ctx: Pick<McpContext, 'engine'>, method: string | undefined): Promise<{ model: string | null; params: Record<string, unknown> | null }> {
  if (!method) return { model: null, params: null };
  const [caps, models] = await Promise.all([ctx.engine.capabilities(), ctx.engine.models()]);
  const asModel = models.find((m) => m.id === method && m.stage === 'inpaint');
  if (asModel) return { model: asModel.id, params: caps.inpaintMethods.includes(method) ? { method } : null };
  if (caps.inpaintMethods.includes(method)) return { model: null, params: { method } };
  throw new AppError('bad-request', `unknown erase method "${method}"; this engine has: ${[...new Set([...caps.inpaintMethods, ...models.filter((m) => m.stage === 'inpaint').map((m) => m.id)])].join(', ') || 'none'}`);
}

/** The regions a detection found, for the answer (the boxes file keeps every detail). */
async function regionSummary(boxesPath: string): Promise<{ width?: number; height?: number; regions: number; lines: unknown[] }> {
  try {
    const parsed = JSON.parse(await readFile(boxesPath, 'utf8')) as { width?: number; height?: number; regions?: Array<{ box?: unknown; score?: unknown; text?: unknown }> };
    const regions = Array.isArray(parsed.regions) ? parsed.regions : [];
    return {
      ...(typeof parsed.width === 'number' ? { width: parsed.width } : {}),
      ...(typeof parsed.height === 'number' ? { height: parsed.height } : {}),
      regions: regions.length,
      lines: regions.slice(0, MAX_LISTED_REGIONS).map((r) => ({ box: r.box, score: typeof r.score === 'number' ? Math.round(r.score * 1000) / 1000 : r.score, ...(typeof r.text === 'string' ? { text: r.text } : {}) })),
    };
  } catch {
    return { regions: 0, lines: [] };
  }
}
