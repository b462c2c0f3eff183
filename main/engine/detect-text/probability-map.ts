import type { RawImage } from '../../core/images/raw-image.js';
import type { DetectionPlan } from './plan.js';
import { resizeToRgb } from './resample.js';
import { canvasToTensor } from './tensor.js';

/** Runs the network on one NCHW input of the given size; resolves to its width×height probability map. */
export type InferFn = (input: Float32Array, width: number, height: number) => Promise<Float32Array>;

export interface MapControl {
  /** Throws (AppError 'cancelled') when the job was cancelled; called between network runs. */
  checkCancelled(): void;
  /** Fraction 0..1 of the network runs done. */
  onStep(done: number, total: number): void;
}

/** The merged text-probability map on the plan's canvas (canvasWidth × canvasHeight, 0..1). */
export async function probabilityMap(image: RawImage, plan: DetectionPlan, infer: InferFn, control: MapControl): Promise<Float32Array> {
  const { canvasWidth: cw, canvasHeight: ch } = plan;
  const canvas = resizeToRgb(image, cw, ch, control.checkCancelled);
  const map = new Float32Array(cw * ch);
  const total = plan.tiles.length + (plan.coarse ? 1 : 0);
  let done = 0;

  if (plan.coarse) {
    control.checkCancelled();
    const { width, height } = plan.coarse;
    // From the (already reduced) canvas, not the original: 4× fewer pixels to average.
    const small = resizeToRgb({ data: canvas, width: cw, height: ch, channels: 3 }, width, height, control.checkCancelled);
    const out = await infer(canvasToTensor(small, width, height, { x: 0, y: 0, width, height }, control.checkCancelled), width, height);
    upsampleMaxInto(out, width, height, map, cw, ch, control.checkCancelled);
    control.onStep(++done, total);
  }
  for (const tile of plan.tiles) {
    control.checkCancelled();
    const out = await infer(canvasToTensor(canvas, cw, ch, tile, control.checkCancelled), tile.width, tile.height);
    const { x0, y0, x1, y1 } = tile.core;
    for (let y = y0; y < y1; y++) {
      const row = y * cw;
      const src = (y - tile.y) * tile.width - tile.x;
      for (let x = x0; x < x1; x++) {
        const v = out[src + x]!;
        if (v > map[row + x]!) map[row + x] = v;
      }
    }
    control.onStep(++done, total);
  }
  return map;
}

/** Bilinear upsampling of a small map onto a bigger one, keeping the larger value per pixel. */
function upsampleMaxInto(src: Float32Array, sw: number, sh: number, dst: Float32Array, dw: number, dh: number, checkCancelled: () => void): void {
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    if ((y & 63) === 0) checkCancelled();
    const v = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(v);
    const y1 = Math.min(sh - 1, y0 + 1);
    const ty = v - y0;
    for (let x = 0; x < dw; x++) {
      const u = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(u);
      const x1 = Math.min(sw - 1, x0 + 1);
      const tx = u - x0;
      const top = src[y0 * sw + x0]! * (1 - tx) + src[y0 * sw + x1]! * tx;
      const bottom = src[y1 * sw + x0]! * (1 - tx) + src[y1 * sw + x1]! * tx;
      const val = top * (1 - ty) + bottom * ty;
      const i = y * dw + x;
      if (val > dst[i]!) dst[i] = val;
    }
  }
}
