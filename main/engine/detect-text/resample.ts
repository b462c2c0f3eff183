import type { RawImage } from '../../core/images/raw-image.js';

/**
 * Resizes to `dw`×`dh` RGB (alpha composited over white, as a viewer would show it). Shrinking averages
 * the covered source area (no aliasing: thin strokes of small text survive as grey, not as gaps);
 * enlarging is bilinear. Separable, so a 24 MP photo shrinks in a fraction of a second.
 */
export function resizeToRgb(image: RawImage, dw: number, dh: number, checkCancelled: () => void = () => {}): Uint8Array {
  const { width: W, height: H, channels: C, data } = image;
  const out = new Uint8Array(dw * dh * 3);
  if (dw === W && dh === H) {
    for (let i = 0, o = 0; i < W * H; i++, o += 3) readRgb(data, i * C, C, out, o);
    return out;
  }
  const xs = weightTable(W, dw);
  const ys = weightTable(H, dh);
  // Which output rows each source row feeds, so source rows are read once, in order, and no
  // full-height intermediate is needed (a 24 MP photo would make it hundreds of MB).
  const feeds: { row: number; weight: number }[][] = Array.from({ length: H }, () => []);
  for (let o = 0; o < dh; o++) {
    for (let k = 0; k < ys.count[o]!; k++) feeds[ys.start[o]! + k]!.push({ row: o, weight: ys.weights[ys.offset[o]! + k]! });
  }
  const stride = dw * 3;
  const acc = new Float32Array(dh * stride);
  const rowRgb = new Float32Array(W * 3);
  const rowOut = new Float32Array(stride);
  for (let y = 0; y < H; y++) {
    // A 24 MP photo takes a while to shrink: stay responsive to cancellation.
    if ((y & 31) === 0) checkCancelled();
    const targets = feeds[y]!;
    if (targets.length === 0) continue;
    // RGB is read straight from the image; other layouts are converted to an RGB row first.
    const direct = C === 3;
    const src = direct ? data : rowRgb;
    const base = direct ? y * W * 3 : 0;
    if (!direct) readRow(data, y * W * C, W, C, rowRgb);
    for (let x = 0; x < dw; x++) {
      const count = xs.count[x]!;
      const wBase = xs.offset[x]!;
      let p = base + xs.start[x]! * 3;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < count; k++, p += 3) {
        const w = xs.weights[wBase + k]!;
        r += src[p]! * w;
        g += src[p + 1]! * w;
        b += src[p + 2]! * w;
      }
      rowOut[x * 3] = r;
      rowOut[x * 3 + 1] = g;
      rowOut[x * 3 + 2] = b;
    }
    for (const { row, weight } of targets) {
      const o = row * stride;
      for (let i = 0; i < stride; i++) acc[o + i] = acc[o + i]! + rowOut[i]! * weight;
    }
  }
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]!;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return out;
}

/** One row as RGB floats; alpha composited over white, grey expanded. */
function readRow(data: Uint8Array, at: number, width: number, channels: number, out: Float32Array): void {
  for (let x = 0, i = at, o = 0; x < width; x++, i += channels, o += 3) {
    if (channels === 1) {
      out[o] = out[o + 1] = out[o + 2] = data[i]!;
    } else if (channels === 3) {
      out[o] = data[i]!;
      out[o + 1] = data[i + 1]!;
      out[o + 2] = data[i + 2]!;
    } else {
      const a = data[i + 3]! / 255;
      const white = 255 * (1 - a);
      out[o] = data[i]! * a + white;
      out[o + 1] = data[i + 1]! * a + white;
      out[o + 2] = data[i + 2]! * a + white;
    }
  }
}

function readRgb(data: Uint8Array, i: number, channels: number, out: Uint8Array, o: number): void {
  if (channels === 1) {
    out[o] = out[o + 1] = out[o + 2] = data[i]!;
    return;
  }
  const r = data[i]!;
  const g = data[i + 1]!;
  const b = data[i + 2]!;
  if (channels === 4) {
    const a = data[i + 3]! / 255;
    out[o] = r * a + 255 * (1 - a);
    out[o + 1] = g * a + 255 * (1 - a);
    out[o + 2] = b * a + 255 * (1 - a);
    return;
  }
  out[o] = r;
  out[o + 1] = g;
  out[o + 2] = b;
}

interface WeightTable {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Float32Array;
}

/** Per output index: the source indices it reads (start, count) and their weights (summing to 1). */
function weightTable(src: number, dst: number): WeightTable {
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const list: number[] = [];
  const f = src / dst;
  for (let o = 0; o < dst; o++) {
    offset[o] = list.length;
    if (f > 1) {
      // Area average over [o·f, (o+1)·f).
      const a = o * f;
      const b = Math.min(src, (o + 1) * f);
      const i0 = Math.floor(a);
      const i1 = Math.min(src, Math.ceil(b));
      start[o] = i0;
      count[o] = i1 - i0;
      for (let i = i0; i < i1; i++) list.push((Math.min(b, i + 1) - Math.max(a, i)) / (b - a));
    } else {
      // Bilinear between the two nearest source centres.
      const u = Math.min(src - 1, Math.max(0, (o + 0.5) * f - 0.5));
      const i0 = Math.floor(u);
      const t = u - i0;
      start[o] = i0;
      if (i0 + 1 < src && t > 0) {
        count[o] = 2;
        list.push(1 - t, t);
      } else {
        count[o] = 1;
        list.push(1);
      }
    }
  }
  return { start, count, offset, weights: Float32Array.from(list) };
}
