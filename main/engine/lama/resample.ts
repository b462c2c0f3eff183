/**
 * Resampling of single float planes for the LaMa windows: an exact area average to shrink a crop to
 * the network input (no aliasing of thin strokes), and bilinear sampling to bring the result back.
 */

/** Per destination index: the source indices it covers and their weights (summing to 1). */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

function areaTaps(src: number, dst: number): Taps {
  const scale = src / dst;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const index: number[] = [];
  const weight: number[] = [];
  for (let d = 0; d < dst; d++) {
    const a = d * scale;
    const b = Math.min(src, (d + 1) * scale);
    start[d] = index.length;
    for (let s = Math.floor(a); s < b; s++) {
      const w = Math.min(b, s + 1) - Math.max(a, s);
      if (w <= 1e-9) continue;
      index.push(s);
      weight.push(w / scale);
    }
    count[d] = index.length - start[d]!;
  }
  return { start, count, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}

/** Shrinks a w×h plane to dw×dh (dw ≤ w, dh ≤ h) by averaging the exact area each output pixel covers. */
export function resizeArea(src: Float32Array, w: number, h: number, dw: number, dh: number): Float32Array {
  const tx = areaTaps(w, dw);
  const ty = areaTaps(h, dh);
  const rows = new Float32Array(dw * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < dw; x++) {
      let acc = 0;
      const s = tx.start[x]!;
      for (let k = 0; k < tx.count[x]!; k++) acc += src[row + tx.index[s + k]!]! * tx.weight[s + k]!;
      rows[y * dw + x] = acc;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const s = ty.start[y]!;
    for (let k = 0; k < ty.count[y]!; k++) {
      const wgt = ty.weight[s + k]!;
      const row = ty.index[s + k]! * dw;
      for (let x = 0; x < dw; x++) out[y * dw + x]! += rows[row + x]! * wgt;
    }
  }
  return out;
}

/**
 * Bilinear sample of a plane stored with row stride `stride`, valid size w×h, at the pixel-centre
 * aligned position (fx, fy) (clamped to the edge).
 */
export function sampleBilinear(plane: Float32Array, stride: number, w: number, h: number, fx: number, fy: number): number {
  const x = Math.max(0, Math.min(w - 1, fx));
  const y = Math.max(0, Math.min(h - 1, fy));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const ax = x - x0;
  const ay = y - y0;
  const top = plane[y0 * stride + x0]! * (1 - ax) + plane[y0 * stride + x1]! * ax;
  const bottom = plane[y1 * stride + x0]! * (1 - ax) + plane[y1 * stride + x1]! * ax;
  return top * (1 - ay) + bottom * ay;
}

/** numpy's "symmetric" padding index: … 2 1 0 | 0 1 2 … n-1 | n-1 n-2 … (edge repeated, as lama-cleaner pads). */
export function symmetricIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}
