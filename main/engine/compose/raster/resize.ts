/**
 * Resizes interleaved float planes (any channel count). Shrinking averages the covered source area
 * (no aliasing); enlarging is bilinear with pixel centres aligned, the way image editors scale.
 * Separable: one horizontal pass into a temporary, then one vertical pass.
 */
export function resizePlane(src: Float32Array, sw: number, sh: number, channels: number, dw: number, dh: number): Float32Array {
  if (sw === dw && sh === dh) return src.slice();
  const xs = weights(sw, dw);
  const ys = weights(sh, dh);
  const tmp = new Float32Array(dw * sh * channels);
  for (let y = 0; y < sh; y++) {
    const sRow = y * sw * channels;
    const tRow = y * dw * channels;
    for (let x = 0; x < dw; x++) {
      const start = xs.start[x]!;
      const n = xs.count[x]!;
      const w0 = xs.offset[x]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += src[sRow + (start + k) * channels + c]! * xs.w[w0 + k]!;
        tmp[tRow + x * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(dw * dh * channels);
  const stride = dw * channels;
  for (let y = 0; y < dh; y++) {
    const start = ys.start[y]!;
    const n = ys.count[y]!;
    const w0 = ys.offset[y]!;
    const oRow = y * stride;
    for (let k = 0; k < n; k++) {
      const wk = ys.w[w0 + k]!;
      const tRow = (start + k) * stride;
      for (let i = 0; i < stride; i++) out[oRow + i] = out[oRow + i]! + tmp[tRow + i]! * wk;
    }
  }
  return out;
}

interface Weights {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  w: Float32Array;
}

function weights(src: number, dst: number): Weights {
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const list: number[] = [];
  const f = src / dst;
  for (let o = 0; o < dst; o++) {
    offset[o] = list.length;
    if (f > 1) {
      const a = o * f;
      const b = Math.min(src, (o + 1) * f);
      const i0 = Math.floor(a);
      const i1 = Math.min(src - 1, Math.ceil(b) - 1);
      start[o] = i0;
      count[o] = i1 - i0 + 1;
      for (let i = i0; i <= i1; i++) list.push((Math.min(b, i + 1) - Math.max(a, i)) / f);
    } else {
      const c = Math.max(0, Math.min(src - 1, (o + 0.5) * f - 0.5));
      const i0 = Math.floor(c);
      const i1 = Math.min(src - 1, i0 + 1);
      const t = c - i0;
      start[o] = i0;
      count[o] = i1 - i0 + 1;
      if (i1 === i0) list.push(1);
      else list.push(1 - t, t);
    }
  }
  return { start, count, offset, w: Float32Array.from(list) };
}

/** 8-bit interleaved → floats (optionally only the first `take` channels). */
export function toFloat(data: Uint8Array, channels: number, take = channels): Float32Array {
  const n = data.length / channels;
  const out = new Float32Array(n * take);
  for (let i = 0, o = 0, s = 0; i < n; i++, s += channels) for (let c = 0; c < take; c++) out[o++] = data[s + c]!;
  return out;
}
