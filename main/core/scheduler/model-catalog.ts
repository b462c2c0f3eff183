import type { ModelDevice, ModelInfo, StageKind } from '../../engine/stage-engine.js';
import { LAMA_MODEL } from '../models/model-registry.js';

/**
 * Declared figures per model (DESIGN.md §7): footprint, load/run/unload times, each with where it
 * comes from. The scheduler starts from these and corrects them from what the engine reports
 * (model-estimates.ts). The simulated-VRAM engine runs on exactly these figures.
 *
 * Seed figures were measured by the seed team on an NVIDIA L4 (24 GB, ~22 GB usable), see
 * shared/reference/nanococoa-server.md. Everything else is a cited public figure or, where nothing
 * public was found, an estimate that says how it was derived.
 */

export interface CatalogRun {
  /** Expected wall time of one run, ms. */
  ms: number;
  /** Progress steps the run reports (diffusion steps; 1 for single-pass models). */
  steps: number;
}

export interface CatalogModel {
  id: string;
  label: string;
  device: ModelDevice;
  /** Stages the model serves; the first is what ModelInfo.stage reports. */
  stages: StageKind[];
  /** Peak while resident and running, MB (VRAM for gpu, RAM for cpu). */
  footprintMb: number;
  loadMs: number;
  unloadMs: number;
  run: Partial<Record<StageKind, CatalogRun>>;
  /** Where each number comes from. */
  source: string;
}

const SEED_L4 = 'seed team, measured on an NVIDIA L4 (shared/reference/nanococoa-server.md)';

// The seed's FLUX figures: 128 s load, ~11 GB, 25 steps in 133 s (5.32 s/step), 16 s unload.
const FLUX_STEP_MS = 133_000 / 25;
// FLUX.1-dev transformer 12B + T5-XXL 4.7B params vs SDXL ~3.5B: used to scale estimates for SDXL.
const SDXL_TO_FLUX_PARAMS = 3.5 / 16.7;
const SDXL_STEP_MS = Math.round(FLUX_STEP_MS * (2.6 / 12)); // UNet 2.6B vs FLUX transformer 12B

/** LaMa's GPU load/unload: estimates for a 0.2 GB checkpoint (the embedded engine declares the same). */
export const LAMA_CATALOG_TIMES = { loadMs: 3_000, unloadMs: 1_000 };

export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'flux-dev',
    label: 'FLUX.1-dev (diffusion)',
    device: 'gpu',
    stages: ['background', 'refine'],
    footprintMb: 11 * 1024,
    loadMs: 128_000,
    unloadMs: 16_000,
    run: {
      background: { ms: 133_000, steps: 25 },
      refine: { ms: Math.round(FLUX_STEP_MS * 10), steps: 10 },
    },
    source:
      `load 128 s, ~11 GB, background 25 steps 133 s, unload 16 s: ${SEED_L4}; ` +
      'refine = img2img at strength 0.4, 10 of 25 steps at the same 5.32 s/step (derived)',
  },
  {
    id: 'vlm',
    label: 'Vision-language model (image analysis)',
    device: 'gpu',
    stages: ['harmonize'],
    footprintMb: 10 * 1024,
    loadMs: 73_000,
    unloadMs: 16_000,
    run: { harmonize: { ms: 58_000, steps: 1 } },
    source:
      `load 73 s, ~10 GB, analysis 58 s: ${SEED_L4}; unload not measured, assumed equal to FLUX's 16 s. ` +
      'The seed analysed the image with it before composing; adstudio lists it under harmonize.',
  },
  {
    id: 'sdxl',
    label: 'Stable Diffusion XL 1.0 (diffusion, fp16)',
    device: 'gpu',
    stages: ['refine', 'background'],
    footprintMb: 10 * 1024,
    loadMs: Math.round(128_000 * SDXL_TO_FLUX_PARAMS),
    unloadMs: Math.round(16_000 * SDXL_TO_FLUX_PARAMS),
    run: {
      refine: { ms: SDXL_STEP_MS * 15, steps: 15 },
      background: { ms: SDXL_STEP_MS * 30, steps: 30 },
    },
    source:
      'VRAM: 8.2–10.5 GB peak at batch 1, 30 steps, fp16 (diffusers SDXL benchmark, Hugging Face dataset ' +
      'sayakpaul/sample-datasets, collated_results_peft.csv); load/unload: estimate, the seed L4 FLUX ' +
      'figures scaled by parameter count (SDXL ~3.5B, Hugging Face blog "Exploring simple optimizations ' +
      'for SDXL", vs FLUX.1 12B + T5-XXL 4.7B); run: estimate, 5.32 s/step scaled by 2.6B/12B ≈ 1.15 s/step',
  },
  {
    id: LAMA_MODEL.id,
    label: 'Big-LaMa (erase)',
    device: 'gpu',
    stages: ['inpaint'],
    // One source of truth: the model registry's declared VRAM (what the embedded engine reports too).
    footprintMb: Math.round(LAMA_MODEL.footprint.vramBytes / (1024 * 1024)),
    ...LAMA_CATALOG_TIMES,
    run: { inpaint: { ms: 2_000, steps: 1 } },
    source:
      `VRAM: the model registry's declared estimate (main/core/models/model-registry.ts); run ~2 s per HD image on a GPU ` +
      '(LaMa notes, happyin.space/image-generation/LaMa); weights 208 MB fp32 (ONNX export, Hugging Face Carve/LaMa-ONNX); ' +
      'load 3 s and unload 1 s: estimate for a 0.2 GB checkpoint',
  },
  {
    id: 'ppocr-det',
    label: 'PP-OCRv4 server text detector',
    device: 'gpu',
    stages: ['detect_text'],
    footprintMb: 1024,
    loadMs: 2_000,
    unloadMs: 500,
    run: { detect_text: { ms: 500, steps: 1 } },
    source:
      'model 109 MB, GPU inference 128 ms (PaddleOCR 3.0 model list, PP-OCRv4_server_det); run 0.5 s with ' +
      'pre/post-processing, 1 GB VRAM with CUDA workspace, load 2 s, unload 0.5 s: estimates',
  },
  {
    id: 'birefnet',
    label: 'BiRefNet (product cut-out)',
    device: 'gpu',
    stages: ['cutout'],
    footprintMb: 3 * 1024,
    loadMs: 6_000,
    unloadMs: 1_000,
    run: { cutout: { ms: 1_000, steps: 1 } },
    source:
      'VRAM: ~3 GB at 1024×1024 in FP16 (BiRefNet maintainer, github.com/ZhengPeng7/BiRefNet issue #172); ' +
      'load 6 s, run 1 s, unload 1 s: estimates',
  },
  {
    id: 'ppocr-det-mobile',
    label: 'PP-OCRv4 mobile text detector (CPU, embedded)',
    device: 'cpu',
    stages: ['detect_text'],
    footprintMb: 256,
    loadMs: 300,
    unloadMs: 50,
    run: { detect_text: { ms: 1_000, steps: 1 } },
    source:
      'model 4.5 MB, 0.23 s per image on an Apple M2 CPU (juejin.cn/post/7358337136024387635); 1 s on a ' +
      'laptop CPU with post-processing, 256 MB RAM, load 0.3 s: estimates',
  },
];

/** Model-less stages (compositing, text rendering, patch-based erase) run on the CPU. */
export const CPU_STAGE_ESTIMATES: Readonly<Record<StageKind, CatalogRun>> = {
  detect_text: { ms: 1_000, steps: 1 },
  inpaint: { ms: 3_000, steps: 1 },
  refine: { ms: 3_000, steps: 1 },
  cutout: { ms: 1_000, steps: 1 },
  background: { ms: 2_000, steps: 1 },
  harmonize: { ms: 2_000, steps: 1 },
  compose: { ms: 2_000, steps: 1 },
  render_text: { ms: 1_000, steps: 1 },
};
export const CPU_STAGE_SOURCE = 'estimate: CPU compositing/text/patch-based work on a 1024² image, 1–3 s';

export function catalogModel(id: string, catalog: readonly CatalogModel[] = MODEL_CATALOG): CatalogModel | undefined {
  return catalog.find((m) => m.id === id);
}

/** Expected run of a stage: the model's figure for that stage, else the model's first, else the CPU estimate. */
export function catalogRun(model: CatalogModel | undefined, kind: StageKind): CatalogRun {
  if (!model) return CPU_STAGE_ESTIMATES[kind];
  return model.run[kind] ?? Object.values(model.run)[0] ?? CPU_STAGE_ESTIMATES[kind];
}

export function toModelInfo(model: CatalogModel, resident: boolean, observedPeakMb: number | null): ModelInfo {
  return {
    id: model.id,
    stage: model.stages[0] ?? 'compose',
    label: model.label,
    device: model.device,
    footprintMb: model.footprintMb,
    observedPeakMb,
    loadMs: model.loadMs,
    unloadMs: model.unloadMs,
    resident,
    source: model.source,
  };
}
