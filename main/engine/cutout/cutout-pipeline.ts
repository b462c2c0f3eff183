import { AppError } from '../../../preload/contract/index.js';
import { resizePlane } from '../compose/raster/resize.js';
import { classicalMatte } from './classical-matte.js';
import { dropSpecks } from './components.js';
import { decontaminate } from './decontaminate.js';
import { refineAlpha } from './refine-alpha.js';
import type { PipelineControl } from './types.js';

/** The classical matte works on at most this many pixels; its alpha is scaled up and refined. */
const CLASSICAL_WORK_PIXELS = 2_000_000;

export interface CutoutPixels {
  /** width×height×4, straight (not premultiplied) alpha. */
  rgba: Uint8Array;
  /** width×height, 255 = product. */
  mask: Uint8Array;
  coverage: number;
}

const cancelled = () => new AppError('cancelled', 'the cut-out was cancelled');

/** Classical alpha for the whole image (on a shrunken copy when it is large). */
export function classicalAlpha(rgb: Uint8Array, width: number, height: number, ctl: PipelineControl): Float32Array {
  const n = width * height;
  if (n <= CLASSICAL_WORK_PIXELS) return classicalMatte(rgb, width, height, ctl);
  const s = Math.sqrt(n / CLASSICAL_WORK_PIXELS);
  const w = Math.max(1, Math.round(width / s));
  const h = Math.max(1, Math.round(height / s));
  const small = resizePlane(Float32Array.from(rgb), width, height, 3, w, h);
  const smallRgb = new Uint8Array(small.length);
  for (let i = 0; i < small.length; i++) smallRgb[i] = Math.round(small[i]!);
  const alpha = classicalMatte(smallRgb, w, h, ctl);
  return resizePlane(alpha, w, h, 1, width, height);
}

/**
 * From a coarse alpha to the finished cut-out: edges snapped to the photo, specks dropped, the input's
 * own alpha respected, a sanity check that there is a product at all, edge colours decontaminated.
 */
export function finishCutout(rgb: Uint8Array, coarse: Float32Array, width: number, height: number, inputAlpha: Uint8Array | null, ctl: PipelineControl): CutoutPixels {
  const n = width * height;
  const alpha = refineAlpha(rgb, coarse, width, height);
  if (ctl.isCancelled()) throw cancelled();
  dropSpecks(alpha, width, height);
  if (inputAlpha) for (let i = 0; i < n; i++) alpha[i] = Math.min(alpha[i]!, inputAlpha[i]! / 255);
  ctl.progress(0.85, 'refining edges');

  let solid = 0;
  for (let i = 0; i < n; i++) if (alpha[i]! >= 0.5) solid++;
  const coverage = solid / n;
  if (coverage < 0.0005) {
    throw new AppError('bad-image', 'no clear product found in the image: nothing stands out from the background (try a photo with the product filling more of the frame)');
  }
  if (coverage > 0.995) {
    throw new AppError('bad-image', 'no background to remove: the product (or one colour) fills the whole image');
  }
  if (ctl.isCancelled()) throw cancelled();
  const colours = decontaminate(rgb, alpha, width, height, ctl.isCancelled);
  if (ctl.isCancelled()) throw cancelled();
  const rgba = new Uint8Array(n * 4);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.round(alpha[i]! * 255);
    rgba[i * 4] = colours[i * 3]!;
    rgba[i * 4 + 1] = colours[i * 3 + 1]!;
    rgba[i * 4 + 2] = colours[i * 3 + 2]!;
    rgba[i * 4 + 3] = a;
    mask[i] = a;
  }
  ctl.progress(1, 'done');
  return { rgba, mask, coverage };
}
