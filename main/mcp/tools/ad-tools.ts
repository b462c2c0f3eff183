import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { BACKGROUND_PRESETS, DEFAULT_AD_FONT, EXPORT_PRESETS, type ExportPresetId } from '../../../preload/contract/ad-layout.js';
import { AppError, LIMITS } from '../../../preload/contract/index.js';
import { probeImage } from '../../core/images/image-codec.js';
import type { StageInput, StageSpec } from '../../core/scheduler/scheduler-types.js';
import { modelFor, requireStages } from '../engine-stages.js';
import { DEFAULT_WAIT_SECONDS, removeWhenDone, submitAndWait } from '../job-runner.js';
import type { McpContext } from '../mcp-context.js';
import { errorFrom, jsonResult } from '../tool-result.js';
import { ALPHA_EXTENSIONS, filePath, IMAGE_EXTENSIONS, jobAnswer, waitSeconds, workFolder } from './tool-support.js';

const PRESET_IDS = Object.keys(EXPORT_PRESETS) as [ExportPresetId, ...ExportPresetId[]];
const side = z.number().int().min(16).max(LIMITS.maxSide);
const sizeFields = {
  size: z.enum(PRESET_IDS).optional().describe(`Ad size preset: ${PRESET_IDS.map((id) => `${id} = ${EXPORT_PRESETS[id].label}`).join('; ')}`),
  width: side.optional().describe('Width in pixels (with height; instead of size)'),
  height: side.optional().describe('Height in pixels (with width; instead of size)'),
};

function canvasSize(args: { size?: ExportPresetId | undefined; width?: number | undefined; height?: number | undefined }, fallback: { width: number; height: number }): { width: number; height: number } {
  if (args.size && (args.width || args.height)) throw new AppError('bad-request', 'give either "size" or "width" and "height", not both');
  if ((args.width === undefined) !== (args.height === undefined)) throw new AppError('bad-request', '"width" and "height" go together');
  if (args.width && args.height) {
    if (args.width * args.height > LIMITS.maxPixels) throw new AppError('too-large', `${args.width}×${args.height} is more than ${LIMITS.maxPixels / 1e6} megapixels`);
    return { width: args.width, height: args.height };
  }
  if (args.size) return { width: EXPORT_PRESETS[args.size].width, height: EXPORT_PRESETS[args.size].height };
  return fallback;
}

/**
 * The model of generate_background's stage. A preset is adstudio's procedural backdrop: no model, so an
 * engine with a diffusion model beside the embedded one (nanoCocoa) still draws the preset. A prompt
 * needs a model that generates from one; an engine without (the embedded engine, an adstudio serve on
 * the CPU) refuses it instead of quietly drawing the nearest preset. Neither: the engine's default.
 */
async function backgroundModel(ctx: McpContext, args: { preset?: string | undefined; prompt?: string | undefined }): Promise<string | null> {
  if (args.preset) return null;
  const model = await modelFor(ctx.engine, 'background');
  if (args.prompt && model === null) {
    const caps = await ctx.engine.capabilities();
    throw new AppError(
      'unsupported',
      `the engine in use (${caps.engine} ${caps.version}) cannot generate a background from a prompt: that needs a GPU engine ` +
        '(adstudio mcp --engine profile:nanococoa, or nanococoa:<url>). Use "preset" for a procedural backdrop; presets work offline without one',
    );
  }
  return model;
}

export function registerAdTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'cutout',
    {
      title: 'Cut a product out of its photo',
      description: 'Removes the background around the product in `image` and writes it with transparency to `out` (.png or .webp). Paths only.',
      inputSchema: {
        image: filePath('The product photo (PNG, JPEG or WebP)'),
        out: filePath('Where to write the cut-out (.png or .webp, for transparency)'),
        mask_out: filePath('Optional: where to write the product mask (.png, 255 = product)').optional(),
        method: z.string().min(1).max(32).optional().describe('Optional: "auto" (default), "model" (the segmentation network) or "classical"'),
        wait_seconds: waitSeconds,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        await requireStages(ctx.engine, 'cutout', ['cutout']);
        const image = await ctx.paths.input(args.image, 'image');
        await probeImage(image, 'image');
        const out = await ctx.paths.output(args.out, 'out', ALPHA_EXTENSIONS);
        const mask = args.mask_out ? await ctx.paths.output(args.mask_out, 'mask_out', ['.png']) : null;
        // A method other than the network's runs without a model.
        const model = args.method && args.method !== 'model' ? null : await modelFor(ctx.engine, 'cutout');
        const stage: StageSpec = {
          id: 'cutout',
          kind: 'cutout',
          model,
          inputs: { image },
          outputs: { image: out, ...(mask ? { mask } : {}) },
          ...(args.method ? { params: { method: args.method } } : {}),
        };
        const record = await submitAndWait(ctx, { title: `Cut out — ${args.image}`, priority: 'interactive', stages: [stage] }, args.wait_seconds ?? DEFAULT_WAIT_SECONDS, extra);
        const answer = jobAnswer(ctx, record, { image: out, mask });
        return jsonResult(answer.value, { isError: answer.isError });
      } catch (e) {
        return errorFrom('cutout', e);
      }
    },
  );

  server.registerTool(
    'generate_background',
    {
      title: 'Make a background for an ad',
      description:
        'Writes a background image to `out`: a procedural studio backdrop from `preset` on any engine (colours drawn from `product` when given), ' +
        'or a diffusion background from `prompt` on a GPU engine (the product may be placed by that engine; the embedded engine refuses a prompt). ' +
        'Give one of the two; with neither, the engine\'s default. Paths only.',
      inputSchema: {
        out: filePath('Where to write the background (.png, .jpg or .webp)'),
        ...sizeFields,
        preset: z.enum(BACKGROUND_PRESETS).optional().describe(`Procedural backdrop style (any engine): ${BACKGROUND_PRESETS.join(', ')}`),
        prompt: z.string().min(1).max(2000).optional().describe('What the background shows (GPU engines that generate; instead of preset)'),
        negative_prompt: z.string().min(1).max(2000).optional(),
        product: filePath('Optional: the product (ideally a cut-out) to take colours from or to place').optional(),
        seed: z.number().int().min(0).max(0xffffffff).optional(),
        wait_seconds: waitSeconds,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        if (args.preset && args.prompt) throw new AppError('bad-request', 'give either "preset" (a procedural backdrop) or "prompt" (a generated background), not both');
        await requireStages(ctx.engine, 'generate_background', ['background']);
        const model = await backgroundModel(ctx, args);
        const out = await ctx.paths.output(args.out, 'out', IMAGE_EXTENSIONS);
        const product = args.product ? await ctx.paths.input(args.product, 'product') : null;
        if (product) await probeImage(product, 'product');
        const { width, height } = canvasSize(args, EXPORT_PRESETS.portrait);
        const params: Record<string, unknown> = { width, height };
        for (const key of ['preset', 'prompt', 'negative_prompt', 'seed'] as const) if (args[key] !== undefined) params[key] = args[key];
        const record = await submitAndWait(
          ctx,
          {
            title: `Background — ${args.out}`,
            priority: 'batch',
            // "palette" for adstudio's backdrops (colours from it), "product" for engines that place it.
            stages: [{ id: 'background', kind: 'background', model, inputs: product ? { palette: product, product } : {}, outputs: { image: out }, params }],
          },
          args.wait_seconds ?? DEFAULT_WAIT_SECONDS,
          extra,
        );
        // Report the size actually written: an engine may have its own (a diffusion model's native size).
        const written = record.status === 'done' ? await probeImage(out, 'background').catch(() => null) : null;
        const answer = jobAnswer(ctx, record, { image: out, width: written?.width ?? width, height: written?.height ?? height });
        return jsonResult(answer.value, { isError: answer.isError });
      } catch (e) {
        return errorFrom('generate_background', e);
      }
    },
  );

  server.registerTool(
    'compose_ad',
    {
      title: 'Compose an ad from a background, product cut-outs and copy',
      description:
        'Places the `products` (cut-outs, transparent around the product) on the `background` image — or on a `background_preset` backdrop made ' +
        'for the job — with contact and drop shadows and tone matching, adds the `texts` (first = headline, the rest smaller lines under it), ' +
        'and writes the ad to `out`. Placement is automatic. `layout_out` keeps the layout as drawn (JSON). Paths only.',
      inputSchema: {
        out: filePath('Where to write the ad (.png, .jpg or .webp)'),
        background: filePath('The background image').optional(),
        background_preset: z.enum(BACKGROUND_PRESETS).optional().describe('Instead of `background`: a backdrop made for this ad, in colours from the first product'),
        products: z.array(filePath('A product cut-out')).min(1).max(16),
        texts: z.array(z.string().min(1).max(2000)).max(16).optional().describe('Lines of ad copy: the first is the headline'),
        font: z.string().min(1).max(100).optional().describe(`Font family (see list_fonts; default ${DEFAULT_AD_FONT})`),
        weight: z.number().int().min(100).max(900).optional().describe('Headline weight 100–900 (default 800)'),
        text_size: z.number().min(4).max(2000).optional().describe('Headline size in pixels (default: as large as fits)'),
        text_color: z.string().regex(/^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/).optional().describe('#rrggbb (default: dark or white, by the background)'),
        shadow: z.boolean().optional().describe('Contact and drop shadows under products (default true)'),
        tone_match: z.boolean().optional().describe('Match the products\' tone to the background (default true)'),
        ...sizeFields,
        seed: z.number().int().min(0).max(0xffffffff).optional().describe('With background_preset: which variation'),
        layout_out: filePath('Optional: where to write the layout as drawn (.json)').optional(),
        wait_seconds: waitSeconds,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        if (args.background && args.background_preset) throw new AppError('bad-request', 'give either "background" or "background_preset", not both');
        if (!args.background && !args.background_preset) throw new AppError('bad-request', 'compose_ad needs a "background" image or a "background_preset"');
        await requireStages(ctx.engine, 'compose_ad', args.background_preset ? ['background', 'compose'] : ['compose']);
        const out = await ctx.paths.output(args.out, 'out', IMAGE_EXTENSIONS);
        const layoutOut = args.layout_out ? await ctx.paths.output(args.layout_out, 'layout_out', ['.json']) : null;
        const background = args.background ? await ctx.paths.input(args.background, 'background') : null;
        if (background) await probeImage(background, 'background');
        const products: string[] = [];
        for (const [i, p] of args.products.entries()) {
          const real = await ctx.paths.input(p, `products[${i}]`);
          await probeImage(real, `products[${i}]`);
          products.push(real);
        }
        const explicit = args.size || args.width ? canvasSize(args, EXPORT_PRESETS.portrait) : null;
        const stages: StageSpec[] = [];
        let work: string | null = null;
        if (args.background_preset) {
          work = await workFolder(ctx);
          const { width, height } = explicit ?? EXPORT_PRESETS.portrait;
          stages.push({
            id: 'background',
            kind: 'background',
            // A preset backdrop is adstudio's own procedural stage: no model, so no engine makes it a diffusion job.
            model: null,
            inputs: { palette: products[0] as string },
            outputs: { image: join(work, 'background.png') },
            params: { preset: args.background_preset, width, height, ...(args.seed !== undefined ? { seed: args.seed } : {}) },
          });
        }
        const inputs: Record<string, StageInput> = { background: background ?? { from: 'background', output: 'image' } };
        products.forEach((p, i) => (inputs[i === 0 ? 'product' : `product.${i + 1}`] = p));
        const params: Record<string, unknown> = {};
        if (args.texts?.length) params.text = args.texts;
        if (args.font) params.font = args.font;
        if (args.weight !== undefined) params.weight = args.weight;
        if (args.text_size !== undefined) params.textSize = args.text_size;
        if (args.text_color) params.textColor = args.text_color;
        if (args.shadow !== undefined) params.shadow = args.shadow;
        if (args.tone_match !== undefined) params.toneMatch = args.tone_match;
        if (explicit) params.size = `${explicit.width}x${explicit.height}`;
        stages.push({
          id: 'compose',
          kind: 'compose',
          model: await modelFor(ctx.engine, 'compose'),
          inputs,
          outputs: { image: out, ...(layoutOut ? { layout: layoutOut } : {}) },
          params,
        });
        const record = await submitAndWait(ctx, { title: `Compose ad — ${args.out}`, priority: 'batch', stages }, args.wait_seconds ?? DEFAULT_WAIT_SECONDS, extra);
        if (work) removeWhenDone(ctx, record.id, work);
        const answer = jobAnswer(ctx, record, { image: out, layout: layoutOut });
        return jsonResult(answer.value, { isError: answer.isError });
      } catch (e) {
        return errorFrom('compose_ad', e);
      }
    },
  );
}
