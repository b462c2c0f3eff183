import { join } from 'node:path';
import type { JobPriority, JobSpec } from './scheduler-types.js';

/**
 * The two job graphs of issue #6, as the benchmark and the tests submit them. Model ids are
 * parameters so the same graph can run on other models (e.g. SDXL for the refine).
 */

export interface EraseTextJobOptions {
  title?: string;
  image: string;
  /** Folder for this job's outputs. */
  workDir: string;
  priority?: JobPriority;
  models?: { detect?: string | null; erase?: string | null; refine?: string | null };
}

/** detect text → LaMa-class erase → diffusion refine of the erased area. */
export function eraseTextJob(o: EraseTextJobOptions): JobSpec {
  const m = { detect: 'ppocr-det', erase: 'lama', refine: 'flux-dev', ...o.models };
  return {
    title: o.title ?? 'Erase text',
    priority: o.priority ?? 'batch',
    stages: [
      {
        id: 'detect',
        kind: 'detect_text',
        model: m.detect,
        inputs: { image: o.image },
        outputs: { regions: join(o.workDir, 'regions.json'), mask: join(o.workDir, 'mask.png') },
      },
      {
        id: 'erase',
        kind: 'inpaint',
        model: m.erase,
        inputs: { image: o.image, mask: { from: 'detect', output: 'mask' } },
        outputs: { image: join(o.workDir, 'erased.png') },
      },
      {
        id: 'refine',
        kind: 'refine',
        model: m.refine,
        inputs: { image: { from: 'erase', output: 'image' }, mask: { from: 'detect', output: 'mask' } },
        outputs: { image: join(o.workDir, 'refined.png') },
        params: { strength: 0.4 },
      },
    ],
  };
}

export interface ProductAdJobOptions {
  title?: string;
  product: string;
  workDir: string;
  prompt?: string;
  priority?: JobPriority;
  models?: { cutout?: string | null; background?: string | null; compose?: string | null };
}

/** product cut-out → diffusion background → compose on the CPU. */
export function productAdJob(o: ProductAdJobOptions): JobSpec {
  const m = { cutout: 'birefnet', background: 'flux-dev', compose: null, ...o.models };
  return {
    title: o.title ?? 'Product ad',
    priority: o.priority ?? 'batch',
    stages: [
      {
        id: 'cutout',
        kind: 'cutout',
        model: m.cutout,
        inputs: { image: o.product },
        outputs: { image: join(o.workDir, 'cutout.png') },
      },
      {
        id: 'background',
        kind: 'background',
        model: m.background,
        inputs: { product: { from: 'cutout', output: 'image' } },
        outputs: { image: join(o.workDir, 'background.png') },
        params: { prompt: o.prompt ?? 'a clean studio background', steps: 25 },
      },
      {
        id: 'compose',
        kind: 'compose',
        model: m.compose,
        inputs: { background: { from: 'background', output: 'image' }, product: { from: 'cutout', output: 'image' } },
        outputs: { image: join(o.workDir, 'ad.png') },
      },
    ],
  };
}
