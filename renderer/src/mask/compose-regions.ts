import { RendererError } from '../assets/renderer-error';
import { assertMaskSize } from './rect';

/** A piece of a mask placed at (x, y) in a larger one: width×height bytes, 255 = selected. */
export interface MaskCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * The union of `crops` over `base` (or over an empty mask): every pixel is the maximum of the base
 * and every crop covering it. Crops may overlap each other and stick out of the mask (the outside
 * part is ignored). A region's dilated glyph mask can overlap its neighbour's, so toggling regions
 * means composing the enabled crops again, never clearing a box: this keeps the result exact.
 * `base` is not modified.
 */
export function composeCrops(base: Uint8Array | null, width: number, height: number, crops: readonly MaskCrop[]): Uint8Array<ArrayBuffer> {
  let out: Uint8Array<ArrayBuffer>;
  if (base) {
    assertMaskSize(base, width, height);
    out = base.slice() as Uint8Array<ArrayBuffer>;
  } else {
    out = new Uint8Array(width * height);
  }
  for (const crop of crops) maxInto(out, width, height, crop);
  return out;
}

function maxInto(out: Uint8Array, width: number, height: number, crop: MaskCrop): void {
  const { x, y, width: cw, height: ch, data } = crop;
  if (!Number.isInteger(x) || !Number.isInteger(y) || !Number.isInteger(cw) || !Number.isInteger(ch) || cw < 0 || ch < 0) {
    throw new RendererError('bad-request', `a mask crop must have whole-pixel bounds, not ${x},${y} ${cw}×${ch}`);
  }
  if (data.length !== cw * ch) throw new RendererError('size-mismatch', `a ${cw}×${ch} mask crop needs ${cw * ch} bytes, not ${data.length}`);
  const x0 = Math.max(0, x);
  const x1 = Math.min(width, x + cw);
  const y0 = Math.max(0, y);
  const y1 = Math.min(height, y + ch);
  for (let yy = y0; yy < y1; yy++) {
    const src = (yy - y) * cw - x;
    const dst = yy * width;
    for (let xx = x0; xx < x1; xx++) {
      const v = data[src + xx]!;
      if (v > out[dst + xx]!) out[dst + xx] = v;
    }
  }
}
