/**
 * Gaussian blur approximated by three box blurs (running sums: O(1) per pixel whatever the radius),
 * edges clamped. Works on interleaved float planes with any channel count; shadows, feathering,
 * light wrap and the matting filters all use it.
 */

/** Radii of three successive box blurs whose result approximates a Gaussian of `sigma`. */
export function boxRadii(sigma: number): [number, number, number] {
  if (!(sigma > 0)) return [0, 0, 0];
  const n = 3;
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  const sizes = [0, 1, 2].map((i) => (i < m ? wl : wu));
  return sizes.map((s) => Math.max(0, (s - 1) / 2)) as [number, number, number];
}

/**
 * Blurs `data` (width×height×channels floats) in place with a Gaussian of `sigma` px, or of
 * `sigmaY` px vertically when given (an elliptical blur: contact shadows are wide and flat).
 */
export function gaussianBlur(data: Float32Array, width: number, height: number, channels: number, sigma: number, sigmaY = sigma): Float32Array {
  const rx = boxRadii(sigma);
  const ry = boxRadii(sigmaY);
  if (rx.every((r) => r === 0) && ry.every((r) => r === 0)) return data;
  const tmp = new Float32Array(data.length);
  for (let k = 0; k < 3; k++) {
    const x = rx[k]!;
    const y = ry[k]!;
    // Ping-pong between the two buffers; a copy only when one direction has nothing to do.
    if (x > 0 && y > 0) {
      boxBlurH(data, tmp, width, height, channels, x);
      boxBlurV(tmp, data, width, height, channels, y);
    } else if (x > 0) {
      boxBlurH(data, tmp, width, height, channels, x);
      data.set(tmp);
    } else if (y > 0) {
      boxBlurV(data, tmp, width, height, channels, y);
      data.set(tmp);
    }
  }
  return data;
}

/** Mean over a (2r+1)² window, in place, edges clamped. */
export function boxBlur(data: Float32Array, width: number, height: number, channels: number, r: number): Float32Array {
  if (r <= 0) return data;
  const tmp = new Float32Array(data.length);
  boxBlurH(data, tmp, width, height, channels, r);
  boxBlurV(tmp, data, width, height, channels, r);
  return data;
}

function boxBlurH(src: Float32Array, dst: Float32Array, w: number, h: number, c: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const acc = new Float64Array(c);
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    const last = row + (w - 1) * c;
    for (let k = 0; k < c; k++) {
      let a = src[row + k]! * (r + 1);
      for (let x = 1; x <= r; x++) a += src[row + Math.min(x, w - 1) * c + k]!;
      acc[k] = a;
    }
    // All channels of a pixel together: one sequential walk along the row.
    for (let x = 0, o = row; x < w; x++, o += c) {
      const add = x + r + 1 < w ? row + (x + r + 1) * c : last;
      const sub = x - r >= 0 ? row + (x - r) * c : row;
      for (let k = 0; k < c; k++) {
        dst[o + k] = acc[k]! * inv;
        acc[k] = acc[k]! + src[add + k]! - src[sub + k]!;
      }
    }
  }
}

function boxBlurV(src: Float32Array, dst: Float32Array, w: number, h: number, c: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const stride = w * c;
  // Column sums kept for a whole row at once: memory access stays sequential.
  const acc = new Float64Array(stride);
  for (let i = 0; i < stride; i++) {
    acc[i] = src[i]! * (r + 1);
    for (let y = 1; y <= r; y++) acc[i] = acc[i]! + src[Math.min(y, h - 1) * stride + i]!;
  }
  const lastRow = (h - 1) * stride;
  for (let y = 0; y < h; y++) {
    const out = y * stride;
    const add = y + r + 1 < h ? (y + r + 1) * stride : lastRow;
    const sub = y - r >= 0 ? (y - r) * stride : 0;
    for (let i = 0; i < stride; i++) {
      dst[out + i] = acc[i]! * inv;
      acc[i] = acc[i]! + src[add + i]! - src[sub + i]!;
    }
  }
}
