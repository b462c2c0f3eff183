import { AppError } from '../../../preload/contract/index.js';
import type { StageKind, StageRequest } from '../stage-engine.js';
import { fileToWireImage } from './nanococoa-images.js';
import { formatFromPath } from '../../core/images/image-format.js';
import type { GenerateBody } from './nanococoa-wire.js';

/**
 * How adstudio's stages map onto the server's three-step pipeline (POST /generate):
 *  - background: step 1 only (`stop_step: 1`, no text): FLUX (or SDXL) background with the product
 *    (input `product`, optional) placed and blended in by the server. Output `image`.
 *  - render_text: steps 2–3 from a finished background (input `image` or `background` →
 *    `step1_image`): the server renders `params.text` as generated 3D lettering (baked into the
 *    pixels, not editable) and composites it. Output `image`.
 * Text detection, erasing, cut-outs, product placement (adstudio's `compose`) and editable text
 * layers are not on that server: adstudio's own stages do those.
 */

export const NANOCOCOA_STAGES: readonly StageKind[] = ['background', 'render_text'];

export const NANOCOCOA_MODELS = {
  flux: 'nanococoa-flux',
  sdxl: 'nanococoa-sdxl',
  text: 'nanococoa-text',
} as const;

export interface PlannedRun {
  body: GenerateBody;
  /** Pipeline steps the run covers (for progress). */
  steps: number[];
  out: string;
  madeBy: string;
}

export async function planRun(request: StageRequest): Promise<PlannedRun> {
  const out = request.outputs.image;
  if (!out) throw new AppError('bad-request', `the ${request.kind} stage needs an output "image" path`);
  formatFromPath(out);
  const p = request.params ?? {};
  if (request.kind === 'background') {
    const model = request.model ?? NANOCOCOA_MODELS.flux;
    if (model !== NANOCOCOA_MODELS.flux && model !== NANOCOCOA_MODELS.sdxl) {
      throw new AppError('not-found', `the nanoCocoa server has no background model "${model}"; use ${NANOCOCOA_MODELS.flux} or ${NANOCOCOA_MODELS.sdxl}`);
    }
    const product = request.inputs.product ?? request.inputs.image;
    const body: GenerateBody = {
      start_step: 1,
      stop_step: 1,
      text_content: null,
      bg_model: model === NANOCOCOA_MODELS.sdxl ? 'sdxl' : 'flux',
      ...(product ? { product_image: await fileToWireImage(product, 'product image') } : {}),
      ...text(p, 'prompt', 'bg_prompt'),
      ...text(p, 'negative_prompt', 'bg_negative_prompt'),
      ...text(p, 'composition_prompt', 'bg_composition_prompt'),
      ...text(p, 'composition_negative_prompt', 'bg_composition_negative_prompt'),
      ...number(p, 'guidance_scale', 'guidance_scale', 1, 20),
      ...number(p, 'strength', 'strength', 0, 1),
      ...seed(p),
      ...flag(p, 'test_mode'),
    };
    return { body, steps: [1], out, madeBy: `nanococoa:${body.bg_model} background` };
  }
  if (request.kind === 'render_text') {
    const model = request.model ?? NANOCOCOA_MODELS.text;
    if (model !== NANOCOCOA_MODELS.text) throw new AppError('not-found', `the nanoCocoa server has no lettering model "${model}"; use ${NANOCOCOA_MODELS.text}`);
    const background = request.inputs.image ?? request.inputs.background;
    if (!background) throw new AppError('bad-request', 'the nanoCocoa render_text stage needs an "image" to letter (a finished background, e.g. from its background stage)');
    // One string, or lines (headline first).
    const lines = typeof p.text === 'string' ? [p.text] : Array.isArray(p.text) ? p.text.filter((t): t is string => typeof t === 'string') : [];
    const copy = lines.map((t) => t.trim()).filter(Boolean).join('\n');
    if (!copy) throw new AppError('bad-request', 'the nanoCocoa render_text stage needs params.text: the ad copy it renders');
    const body: GenerateBody = {
      start_step: 2,
      stop_step: 3,
      text_content: copy,
      step1_image: await fileToWireImage(background, 'background image'),
      ...text(p, 'text_prompt', 'text_prompt'),
      ...text(p, 'text_negative_prompt', 'text_negative_prompt'),
      ...text(p, 'font', 'font_name'),
      ...choice(p, 'composition_mode', ['overlay', 'blend', 'behind'] as const),
      ...choice(p, 'text_position', ['top', 'center', 'bottom', 'auto'] as const),
      ...text(p, 'composition_prompt', 'composition_prompt'),
      ...text(p, 'composition_negative_prompt', 'composition_negative_prompt'),
      ...number(p, 'composition_strength', 'composition_strength', 0, 1),
      ...number(p, 'composition_steps', 'composition_steps', 10, 50),
      ...number(p, 'composition_guidance_scale', 'composition_guidance_scale', 1, 7),
      ...seed(p),
      ...flag(p, 'test_mode'),
    };
    return { body, steps: [2, 3], out, madeBy: 'nanococoa:text + composite' };
  }
  throw new AppError(
    'unsupported',
    `the nanoCocoa server has no "${request.kind}" stage (it runs ${NANOCOCOA_STAGES.join(' and ')}); adstudio's own engine runs ${request.kind}`,
  );
}

function text<K extends keyof GenerateBody>(p: Record<string, unknown>, from: string, to: K): Partial<GenerateBody> {
  const v = p[from];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'string') throw new AppError('bad-request', `params.${from} must be text`);
  return v.trim() ? ({ [to]: v } as Partial<GenerateBody>) : {};
}

function number<K extends keyof GenerateBody>(p: Record<string, unknown>, from: string, to: K, min: number, max: number): Partial<GenerateBody> {
  const v = p[from];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new AppError('bad-request', `params.${from} must be a number from ${min} to ${max}`);
  return { [to]: v } as Partial<GenerateBody>;
}

function seed(p: Record<string, unknown>): Partial<GenerateBody> {
  const v = p.seed;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new AppError('bad-request', 'params.seed must be a whole number ≥ 0');
  return { seed: v };
}

function flag(p: Record<string, unknown>, name: 'test_mode'): Partial<GenerateBody> {
  const v = p[name];
  if (v === undefined) return {};
  if (typeof v !== 'boolean') throw new AppError('bad-request', `params.${name} must be true or false`);
  return { [name]: v };
}

function choice<T extends string>(p: Record<string, unknown>, name: 'composition_mode' | 'text_position', values: readonly T[]): Partial<GenerateBody> {
  const v = p[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new AppError('bad-request', `params.${name} must be one of ${values.join(', ')}`);
  return { [name]: v } as Partial<GenerateBody>;
}
