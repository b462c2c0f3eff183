import { AppError } from '../../preload/contract/index.js';
import { decodeImage, decodeMask, encodeImage } from '../core/images/image-codec.js';
import { formatFromPath } from '../core/images/image-format.js';
import { writeFileAtomic } from '../core/paths/atomic-write.js';
import { AD_STAGES, createAdStages } from './compose/ad-stages.js';
import { regionsJson } from './detect-text/boxes-json.js';
import { createTextDetector, type TextDetector, type TextDetectorOptions } from './detect-text/index.js';
import { createEmbeddedInpaintEngine, LAMA_METHOD_ID } from './embedded-inpaint-engine.js';
import type { InpaintEngine } from './inpaint-engine.js';
import type { EngineCapabilities, EngineHealth, MemoryReport, ModelInfo, StageContext, StageEngine, StageRequest, StageResult } from './stage-engine.js';

/** The detector's network; besides it the engine loads LaMa (when installed) and the ad stages' models. */
export const EMBEDDED_DETECTOR_MODEL = 'ppocr-v4-det';

export interface EmbeddedStageEngineOptions {
  version: string;
  detector?: TextDetectorOptions;
  /** Shared with the editor's erase jobs when given (one worker pool); closed by its owner then. */
  inpaint?: InpaintEngine;
}

/**
 * The embedded engine (CPU, offline) behind the StageEngine interface, over files: detect_text
 * (image → mask PNG, optional boxes JSON) and inpaint (image + mask → image). It reports no GPU
 * memory (memory() is null); its models — the detector, LaMa once installed (its footprint from the
 * model registry), the ad stages' — are still loaded and unloaded explicitly so the scheduler sees what
 * is resident and their memory is released when asked.
 *
 * The erase method is `params.method` (the stage's model only says what to budget): an inpaint stage
 * naming model "lama" runs LaMa when its params say method "lama", as adstudio's own callers do.
 */
export function createEmbeddedStageEngine(options: EmbeddedStageEngineOptions): StageEngine {
  const ownInpaint = !options.inpaint;
  const inpaint = options.inpaint ?? createEmbeddedInpaintEngine();
  let detector: TextDetector | null = null;
  let closed = false;
  // Cut-out, backgrounds and compose (issue #4): their workers start on first use.
  const ad = createAdStages();

  const models = (): ModelInfo[] => [
    {
      id: EMBEDDED_DETECTOR_MODEL,
      stage: 'detect_text',
      label: 'PP-OCRv4 text detector (CPU)',
      device: 'cpu',
      footprintMb: 60,
      observedPeakMb: null,
      loadMs: 400,
      unloadMs: 50,
      resident: detector !== null,
      source: 'measured on the build machines: 4.7 MB model, ~60 MB RSS with ONNX Runtime, ~0.4 s cold load',
    },
    ...(inpaint.models?.() ?? []),
    ...ad.models(),
  ];
  const known = () => models().map((m) => m.id).join(', ');

  const check = () => {
    if (closed) throw new AppError('engine', 'the embedded engine is closed');
  };

  return {
    async capabilities(): Promise<EngineCapabilities> {
      return { engine: 'embedded', version: options.version, protocol: 'adstudio/1', simulated: false, stages: ['detect_text', 'inpaint', ...AD_STAGES], inpaintMethods: inpaint.methods().map((m) => m.id) };
    },
    async health(): Promise<EngineHealth> {
      return closed ? { status: 'unhealthy', message: 'closed', simulated: false, gpu: null } : { status: 'healthy', simulated: false, gpu: null };
    },
    async models() {
      return models();
    },
    async load(modelId, loadOptions) {
      check();
      if (ad.hasModel(modelId)) return ad.load(modelId, loadOptions?.signal);
      // LaMa: opens its ONNX session; not installed = AppError('not-found') naming the download command.
      if (modelId === LAMA_METHOD_ID && inpaint.loadModel) return inpaint.loadModel(modelId, loadOptions?.signal ? { signal: loadOptions.signal } : {});
      if (modelId !== EMBEDDED_DETECTOR_MODEL) throw new AppError('not-found', `the embedded engine has no model "${modelId}"; it has ${known()}`);
      detector ??= createTextDetector(options.detector);
    },
    async unload(modelId) {
      if (ad.hasModel(modelId)) return ad.unload(modelId);
      if (modelId === LAMA_METHOD_ID && inpaint.unloadModel) return inpaint.unloadModel(modelId);
      if (modelId !== EMBEDDED_DETECTOR_MODEL) throw new AppError('not-found', `the embedded engine has no model "${modelId}"`);
      const d = detector;
      detector = null;
      await d?.close();
    },
    async memory(): Promise<MemoryReport | null> {
      return null;
    },
    async runStage(request: StageRequest, context: StageContext): Promise<StageResult> {
      check();
      if (request.kind === 'detect_text') {
        // Loaded on demand too: a CPU model costs no budget, and a caller without a scheduler just runs.
        detector ??= createTextDetector(options.detector);
        return detectStage(detector, request, context);
      }
      if (request.kind === 'inpaint') return inpaintStage(inpaint, request, context);
      if (AD_STAGES.includes(request.kind)) return ad.run(request, context);
      throw new AppError('unsupported', `the embedded engine cannot run "${request.kind}" stages (it runs detect_text, inpaint, ${AD_STAGES.join(', ')})`);
    },
    async close() {
      closed = true;
      const d = detector;
      detector = null;
      await Promise.all([d?.close(), ownInpaint ? inpaint.close() : undefined, ad.close()]);
    },
  };
}

function need(map: Record<string, string>, name: string, kind: string): string {
  const v = map[name];
  if (!v) throw new AppError('bad-request', `the ${kind} stage needs "${name}"`);
  return v;
}

function readImage(path: string) {
  return decodeImage(path, 'keep', 'image');
}


async function detectStage(detector: TextDetector, request: StageRequest, { signal, onProgress }: StageContext): Promise<StageResult> {
  const imagePath = need(request.inputs, 'image', 'detect_text');
  const maskPath = need(request.outputs, 'mask', 'detect_text');
  if (formatFromPath(maskPath) !== 'png') throw new AppError('bad-request', 'the detect_text mask is written as PNG');
  const image = await readImage(imagePath);
  const found = await detector.detect({ image, signal, onProgress: (p, m) => onProgress?.(Math.round(p * 100), 100, m) });
  await writeFileAtomic(maskPath, await encodeImage(found.mask, 'png'));
  const outputs: Record<string, string> = { mask: maskPath };
  const boxesPath = request.outputs.boxes;
  if (boxesPath) {
    await writeFileAtomic(boxesPath, regionsJson(image.width, image.height, found.regions));
    outputs.boxes = boxesPath;
  }
  return { outputs, madeBy: 'detect-text:ppocrv4' };
}

async function inpaintStage(engine: InpaintEngine, request: StageRequest, { signal, onProgress }: StageContext): Promise<StageResult> {
  const imagePath = need(request.inputs, 'image', 'inpaint');
  const maskPath = need(request.inputs, 'mask', 'inpaint');
  const outPath = need(request.outputs, 'image', 'inpaint');
  const format = formatFromPath(outPath);
  const method = typeof request.params?.method === 'string' ? request.params.method : undefined;
  const image = await readImage(imagePath);
  const mask = await decodeMask(maskPath, image);
  const result = await engine.inpaint({ image, mask, signal, transferInput: true, ...(method ? { method } : {}), onProgress: (p, m) => onProgress?.(Math.round(p * 100), 100, m) });
  await writeFileAtomic(outPath, await encodeImage(result.image, format));
  return { outputs: { image: outPath }, madeBy: result.madeBy };
}
