import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { BACKGROUND_PRESETS, type AdLayoutInput, type BackgroundPreset } from '../../../preload/contract/ad-layout.js';
import { decodeImage, decodeMask, encodeImage } from '../../core/images/image-codec.js';
import { writeFileAtomic } from '../../core/paths/atomic-write.js';
import { createBackgroundEngine, extractPalette, type BackgroundEngine } from '../background/index.js';
import { createCutoutEngine, CUTOUT_METHODS, type CutoutEngine, type CutoutMethod, type CutoutModel } from '../cutout/index.js';
import type { ModelInfo, StageContext, StageKind, StageRequest, StageResult } from '../stage-engine.js';
import { formatFromPath, parseSize } from './export-presets.js';
import { createComposer, type Composer } from './index.js';
import { layoutFromOptions } from './layout-from-options.js';

/**
 * The product-ad stages of the embedded engine, over files (DESIGN.md §4):
 * - cutout:     inputs {image, mask? (the user's product selection, 8-bit, same size: replaces
 *               segmentation)} → outputs {image (RGBA .png/.webp), mask? (.png)};
 *               model "isnet-medium"/"isnet-small" or null (params.method: auto | model | classical)
 * - background: inputs {palette? or product? (an image to take colours from)} → outputs {image};
 *               params {preset, size ("1080x1350" or width/height), seed; prompt: only picks a preset}
 * - compose:    inputs {layout (ad-layout JSON)} or {background, product, product.2, …} → outputs
 *               {image, layout? (the layout as drawn)}; params as the CLI's options (text, font, size,
 *               shadow, toneMatch, autoPlace, …)
 */
export const AD_STAGES: readonly StageKind[] = ['cutout', 'background', 'compose'];

const CUTOUT_MODEL_IDS: Record<string, CutoutModel> = { 'isnet-medium': 'medium', 'isnet-small': 'small' };

export interface AdStages {
  models(): ModelInfo[];
  hasModel(id: string): boolean;
  load(id: string, signal?: AbortSignal): Promise<void>;
  unload(id: string): Promise<void>;
  run(request: StageRequest, context: StageContext): Promise<StageResult>;
  close(): Promise<void>;
}

export function createAdStages(): AdStages {
  let cutout: CutoutEngine | null = null;
  let cutoutModel: CutoutModel | null = null;
  let backgrounds: BackgroundEngine | null = null;
  let composer: Composer | null = null;
  const getCutout = () => (cutout ??= createCutoutEngine());
  const getBackgrounds = () => (backgrounds ??= createBackgroundEngine());
  const getComposer = () => (composer ??= createComposer({ background: getBackgrounds() }));

  const available = (): [string, CutoutModel][] => Object.entries(CUTOUT_MODEL_IDS).filter(([, m]) => getCutout().modelStatus(m).available);

  return {
    models() {
      return available().map(([id, m]) => ({
        id,
        stage: 'cutout' as const,
        label: `IS-Net background removal, ${m} (CPU)`,
        device: 'cpu' as const,
        footprintMb: m === 'medium' ? 520 : 420,
        observedPeakMb: null,
        loadMs: 3000,
        unloadMs: 100,
        resident: cutoutModel === m && cutout?.loaded === true,
        source: 'estimated on the build machines: 88/44 MB ONNX weights, fixed 1024² input, ~8–15 s per run on 2 cores',
      }));
    },
    hasModel: (id) => id in CUTOUT_MODEL_IDS,
    async load(id, signal) {
      const m = CUTOUT_MODEL_IDS[id];
      if (!m) throw new AppError('not-found', `the embedded engine has no model "${id}"`);
      await getCutout().load(m, signal ? { signal } : {});
      cutoutModel = m;
    },
    async unload(id) {
      if (!(id in CUTOUT_MODEL_IDS)) throw new AppError('not-found', `the embedded engine has no model "${id}"`);
      if (cutoutModel !== CUTOUT_MODEL_IDS[id]) return;
      const c = cutout;
      cutout = null;
      cutoutModel = null;
      await c?.close();
    },
    async run(request, context) {
      if (request.kind === 'cutout') return cutoutStage(getCutout(), request, context);
      if (request.kind === 'background') return backgroundStage(getBackgrounds(), request, context);
      if (request.kind === 'compose') return composeStage(getComposer(), request, context);
      throw new AppError('unsupported', `not an ad stage: ${request.kind}`);
    },
    async close() {
      await Promise.all([cutout?.close(), composer?.close(), backgrounds?.close()]);
    },
  };
}

const PROMPT_WORDS: [RegExp, BackgroundPreset][] = [
  [/marble|대리석/i, 'marble'],
  [/wood|나무|원목/i, 'wood'],
  [/linen|fabric|cloth|린넨|리넨/i, 'linen'],
  [/concrete|cement|stone|콘크리트|시멘트/i, 'concrete'],
  [/bokeh|lights|보케|조명/i, 'bokeh'],
  [/window|sunlight|창문|창가|햇살/i, 'window'],
  [/table|desk|테이블|탁자/i, 'tabletop'],
];

/** The preset a prompt asks for most plainly ("a wooden table" → wood), else the seamless sweep. */
export function presetFromPrompt(prompt: string): BackgroundPreset {
  return PROMPT_WORDS.find(([re]) => re.test(prompt))?.[1] ?? 'sweep';
}

function need(map: Record<string, string>, name: string, kind: string): string {
  const v = map[name];
  if (!v) throw new AppError('bad-request', `the ${kind} stage needs "${name}"`);
  return v;
}

const param = <T>(request: StageRequest, name: string, type: 'string' | 'number' | 'boolean'): T | undefined => {
  const v = request.params?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== type) throw new AppError('bad-request', `the ${request.kind} stage's "${name}" must be a ${type}`);
  return v as T;
};

function readImage(path: string, label: string) {
  return decodeImage(path, 'keep', label);
}

async function cutoutStage(engine: CutoutEngine, request: StageRequest, { signal, onProgress }: StageContext): Promise<StageResult> {
  const imagePath = need(request.inputs, 'image', 'cutout');
  const outPath = need(request.outputs, 'image', 'cutout');
  const ext = extname(outPath).toLowerCase();
  if (ext !== '.png' && ext !== '.webp') throw new AppError('bad-request', 'the cutout image is written as .png or .webp (it has transparency)');
  const maskPath = request.outputs.mask;
  if (maskPath && extname(maskPath).toLowerCase() !== '.png') throw new AppError('bad-request', 'the cutout mask is written as PNG');
  let method = (param<string>(request, 'method', 'string') ?? 'auto') as CutoutMethod;
  if (!CUTOUT_METHODS.includes(method)) throw new AppError('bad-request', `unknown cut-out method "${method}"; use ${CUTOUT_METHODS.join(', ')}`);
  let model: CutoutModel = 'medium';
  if (request.model !== null) {
    const m = CUTOUT_MODEL_IDS[request.model];
    if (!m) throw new AppError('not-found', `the embedded engine has no cut-out model "${request.model}"`);
    model = m;
    method = 'model';
  }
  const image = await readImage(imagePath, 'image');
  const selection = request.inputs.mask;
  const mask = selection ? await decodeMask(selection, { width: image.width, height: image.height }, 'the product selection').catch(asBadRequest) : undefined;
  const result = await engine.cutout({ image, ...(mask ? { mask } : {}), method, model, signal, onProgress: (p, m) => onProgress?.(Math.round(p * 100), 100, m) });
  await writeFileAtomic(outPath, await encodeImage(result.image, ext === '.webp' ? 'webp' : 'png', 100));
  const outputs: Record<string, string> = { image: outPath };
  if (maskPath) {
    await writeFileAtomic(maskPath, await encodeImage(result.mask, 'png'));
    outputs.mask = maskPath;
  }
  return { outputs, madeBy: result.madeBy };
}

/** A selection of the wrong size is the request's mistake ('bad-request'), not the engine's. */
function asBadRequest(e: unknown): never {
  if (e instanceof AppError && e.code === 'size-mismatch') throw new AppError('bad-request', e.message);
  throw e;
}

async function backgroundStage(engine: BackgroundEngine, request: StageRequest, { signal, onProgress }: StageContext): Promise<StageResult> {
  const outPath = need(request.outputs, 'image', 'background');
  const format = formatFromPath(outPath);
  // A prompt is for engines that generate (GPU); here it only picks the nearest preset when none is named.
  const prompt = param<string>(request, 'prompt', 'string');
  const preset = (param<string>(request, 'preset', 'string') ?? (prompt ? presetFromPrompt(prompt) : 'sweep')) as BackgroundPreset;
  if (!BACKGROUND_PRESETS.includes(preset)) throw new AppError('bad-request', `unknown background preset "${preset}"; available: ${BACKGROUND_PRESETS.join(', ')}`);
  const sizeText = param<string>(request, 'size', 'string');
  const { width, height } = sizeText
    ? parseSize(sizeText)
    : { width: param<number>(request, 'width', 'number') ?? 1080, height: param<number>(request, 'height', 'number') ?? 1350 };
  const seed = param<number>(request, 'seed', 'number') ?? 1;
  let palette = undefined;
  // "palette": any image to take colours from; "product": the cut-out (the input other engines take).
  const source = request.inputs.palette ?? request.inputs.product;
  if (source) {
    const img = await readImage(source, 'palette image');
    palette = extractPalette(img.data, img.width, img.height, img.channels === 4 ? 4 : 3);
  }
  const b = await engine.render({ preset, width, height, seed, ...(palette ? { palette } : {}), signal, onProgress: (p) => onProgress?.(Math.round(p * 100), 100) });
  await writeFileAtomic(outPath, await encodeImage({ data: b.rgb, width, height, channels: 3 }, format));
  return { outputs: { image: outPath }, madeBy: `background:${preset}` };
}

async function composeStage(composer: Composer, request: StageRequest, { signal, onProgress }: StageContext): Promise<StageResult> {
  const outPath = need(request.outputs, 'image', 'compose');
  const format = formatFromPath(outPath);
  let layout: AdLayoutInput;
  if (request.inputs.layout) {
    try {
      layout = JSON.parse(await readFile(request.inputs.layout, 'utf8')) as AdLayoutInput;
    } catch (e) {
      throw new AppError('bad-request', `the compose stage's layout could not be read: ${(e as Error).message}`);
    }
  } else {
    const products = Object.keys(request.inputs)
      .filter((k) => k === 'product' || /^product\.\d+$/.test(k))
      .sort((a, b) => (a === 'product' ? 0 : Number(a.split('.')[1])) - (b === 'product' ? 0 : Number(b.split('.')[1])))
      .map((k) => request.inputs[k]!);
    const text = request.params?.text;
    const texts = typeof text === 'string' ? [text] : Array.isArray(text) ? text.filter((t): t is string => typeof t === 'string') : [];
    const font = param<string>(request, 'font', 'string');
    const size = param<string>(request, 'size', 'string');
    const weight = param<number>(request, 'weight', 'number');
    const textSize = param<number>(request, 'textSize', 'number');
    const textColor = param<string>(request, 'textColor', 'string');
    const toneStrength = param<number>(request, 'toneStrength', 'number');
    layout = await layoutFromOptions({
      background: need(request.inputs, 'background', 'compose'),
      products,
      texts,
      shadow: param<boolean>(request, 'shadow', 'boolean') ?? true,
      toneMatch: param<boolean>(request, 'toneMatch', 'boolean') ?? true,
      autoPlace: param<boolean>(request, 'autoPlace', 'boolean') ?? true,
      lightWrap: param<boolean>(request, 'lightWrap', 'boolean') ?? true,
      ...(font ? { font } : {}),
      ...(size ? { size } : {}),
      ...(weight !== undefined ? { weight } : {}),
      ...(textSize !== undefined ? { textSize } : {}),
      ...(textColor ? { textColor } : {}),
      ...(toneStrength !== undefined ? { toneStrength } : {}),
    });
  }
  const result = await composer.compose({ layout, signal, onProgress: (p, m) => onProgress?.(Math.round(p * 100), 100, m) });
  await writeFileAtomic(outPath, await encodeImage(result.image, format, result.layout.export.quality));
  const outputs: Record<string, string> = { image: outPath };
  if (request.outputs.layout) {
    await writeFileAtomic(request.outputs.layout, new TextEncoder().encode(`${JSON.stringify(result.layout, null, 2)}\n`));
    outputs.layout = request.outputs.layout;
  }
  return { outputs, madeBy: result.madeBy };
}
