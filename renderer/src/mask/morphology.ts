import { assertMaskSize, type Rect } from './rect';

/**
 * Whole-mask operations. Each returns a new mask and leaves its input untouched (masks are
 * immutable assets; the caller uploads the result as a new one). A pixel counts as selected when
 * its value is ≥ 128.
 */
export const SELECTED = 128;

/**
 * Grow the selection by `radius` pixels (Euclidean, measured between pixel centres): every pixel
 * within `radius` of a selected pixel becomes 255; other pixels keep their value.
 */
export function grow(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array<ArrayBuffer> {
  assertMaskSize(mask, width, height);
  const out = mask.slice();
  if (!(radius > 0)) return out;
  const box = thresholdBox(mask, width, height, true);
  if (!box) return out;
  setWithin(mask, width, height, true, expand(box, radius, width, height), radius, out, 255);
  return out;
}

/**
 * Shrink the selection by `radius` pixels: every pixel within `radius` of an unselected pixel
 * becomes 0 (so do unselected soft pixels themselves). The image border does not count as
 * unselected: a mask touching the edge stays there.
 */
export function shrink(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array<ArrayBuffer> {
  assertMaskSize(mask, width, height);
  if (!(radius > 0)) return mask.slice();
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i]!;
    if (v >= SELECTED) out[i] = v;
  }
  const box = thresholdBox(mask, width, height, true);
  if (!box) return out;
  setWithin(mask, width, height, false, expand(box, radius, width, height), radius, out, 0);
  return out;
}

/**
 * Inside `roi`, set `out[i] = value` for every pixel within Euclidean distance `radius` of a seed
 * (a selected pixel if `seedSelected`, else an unselected one). Callers choose the roi so that no
 * seed outside it can matter, which keeps the result exact.
 *
 * Two passes, O(pixels): per column, the vertical distance g to the nearest seed (capped at
 * radius+1, larger ones never matter); then per row, each column x' with g ≤ radius covers the
 * interval x' ± ⌊√(radius² − g²)⌋, and the union of those intervals is swept left to right.
 */
function setWithin(mask: Uint8Array, width: number, _height: number, seedSelected: boolean, roi: Rect, radius: number, out: Uint8Array, value: number): void {
  const { x: rx, y: ry, width: rw, height: rh } = roi;
  const cap = Math.min(65_535, Math.ceil(radius) + 1);
  const g = cap <= 255 ? new Uint8Array(rw * rh) : new Uint16Array(rw * rh);
  // Seeds are where (value >= 128) equals seedSelected; written as one comparison so the loop stays monomorphic.
  for (let y = 0; y < rh; y++) {
    const src = (ry + y) * width + rx;
    const row = y * rw;
    if (y === 0) {
      for (let x = 0; x < rw; x++) g[x] = mask[src + x]! >= SELECTED === seedSelected ? 0 : cap;
      continue;
    }
    for (let x = 0; x < rw; x++) {
      if (mask[src + x]! >= SELECTED === seedSelected) g[row + x] = 0;
      else {
        const up = g[row - rw + x]! + 1;
        g[row + x] = up < cap ? up : cap;
      }
    }
  }
  for (let y = rh - 2; y >= 0; y--) {
    const row = y * rw;
    for (let x = 0; x < rw; x++) {
      const down = g[row + rw + x]! + 1;
      if (down < g[row + x]!) g[row + x] = down;
    }
  }

  // halfWidth[g]: the largest integer d with d² + g² ≤ radius² (-1 if g > radius).
  const r2 = radius * radius;
  const halfWidth = new Int32Array(cap + 1);
  for (let gy = 0; gy <= cap; gy++) {
    let d = gy * gy <= r2 ? Math.floor(Math.sqrt(r2 - gy * gy)) : -1;
    while (d >= 0 && d * d + gy * gy > r2) d--;
    while ((d + 1) * (d + 1) + gy * gy <= r2) d++;
    halfWidth[gy] = d;
  }

  const reachFrom = new Int32Array(rw);
  for (let y = 0; y < rh; y++) {
    const row = y * rw;
    reachFrom.fill(-1);
    let any = false;
    for (let x = 0; x < rw; x++) {
      const d = halfWidth[g[row + x]!]!;
      if (d < 0) continue;
      any = true;
      const left = x > d ? x - d : 0;
      const right = x + d;
      if (right > reachFrom[left]!) reachFrom[left] = right;
    }
    if (!any) continue;
    const dst = (ry + y) * width + rx;
    let reach = -1;
    for (let x = 0; x < rw; x++) {
      const r = reachFrom[x]!;
      if (r > reach) reach = r;
      if (reach >= x) out[dst + x] = value;
    }
  }
}

/** Bounds of pixels that are selected (or unselected), or null. */
function thresholdBox(mask: Uint8Array, width: number, height: number, selected: boolean): Rect | null {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]! >= SELECTED === selected) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  return top < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

function expand(r: Rect, by: number, width: number, height: number): Rect {
  const d = Math.ceil(by);
  const x = Math.max(0, r.x - d);
  const y = Math.max(0, r.y - d);
  return { x, y, width: Math.min(width, r.x + r.width + d) - x, height: Math.min(height, r.y + r.height + d) - y };
}

/**
 * Soften the mask edge: a gaussian blur with sigma = radius / 2 (so the transition spans about
 * ±radius), approximated by three box blurs per axis. Edges are clamped, so a selection touching the
 * border stays solid there.
 */
export function feather(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array<ArrayBuffer> {
  assertMaskSize(mask, width, height);
  const out = mask.slice();
  if (!(radius > 0)) return out;
  const box = boundingBox(mask, width, height);
  if (!box) return out;
  const sizes = boxSizesForGauss(radius / 2, 3);
  // Blur only around the non-zero pixels: outside `roi` everything is 0 and stays 0. The margin is
  // one more than the blur can spread, so the roi's own border stays 0 and clamping there reads
  // the same zeros the full image would.
  const spread = sizes.reduce((n, s) => n + (s - 1) / 2, 0) + 1;
  const roi = expand(box, spread, width, height);
  const n = roi.width * roi.height;
  let a = new Uint8Array(n);
  let b = new Uint8Array(n);
  for (let y = 0; y < roi.height; y++) {
    const src = (roi.y + y) * width + roi.x;
    a.set(mask.subarray(src, src + roi.width), y * roi.width);
  }
  for (const size of sizes) {
    boxBlurH(a, b, roi.width, roi.height, (size - 1) / 2);
    [a, b] = [b, a];
  }
  for (const size of sizes) {
    boxBlurV(a, b, roi.width, roi.height, (size - 1) / 2);
    [a, b] = [b, a];
  }
  for (let y = 0; y < roi.height; y++) out.set(a.subarray(y * roi.width, (y + 1) * roi.width), (roi.y + y) * width + roi.x);
  return out;
}

/** Odd box widths whose repeated application approximates a gaussian of this sigma. */
export function boxSizesForGauss(sigma: number, n: number): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  return Array.from({ length: n }, (_, i) => (i < m ? wl : wu));
}

function boxBlurH(src: Uint8Array, dst: Uint8Array, width: number, height: number, k: number): void {
  if (k <= 0) return dst.set(src);
  const inv = 1 / (2 * k + 1);
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Empty rows (common between lines of text) stay empty.
    let x = 0;
    while (x < width && src[row + x] === 0) x++;
    if (x === width) {
      dst.fill(0, row, row + width);
      continue;
    }
    let acc = (k + 1) * src[row]!;
    for (let i = 1; i <= k; i++) acc += src[row + (i < last ? i : last)]!;
    if (width <= 2 * k + 1) {
      for (x = 0; x < width; x++) {
        dst[row + x] = (acc * inv + 0.5) | 0;
        const add = x + k + 1;
        const sub = x - k;
        acc += src[row + (add < last ? add : last)]! - src[row + (sub > 0 ? sub : 0)]!;
      }
      continue;
    }
    // Left edge (window clamped at 0), middle (no clamping), right edge (clamped at last).
    const first = src[row]!;
    const end = src[row + last]!;
    for (x = 0; x <= k; x++) {
      dst[row + x] = (acc * inv + 0.5) | 0;
      acc += src[row + x + k + 1]! - first;
    }
    for (; x < width - k - 1; x++) {
      dst[row + x] = (acc * inv + 0.5) | 0;
      acc += src[row + x + k + 1]! - src[row + x - k]!;
    }
    for (; x < width; x++) {
      dst[row + x] = (acc * inv + 0.5) | 0;
      acc += end - src[row + x - k]!;
    }
  }
}

function boxBlurV(src: Uint8Array, dst: Uint8Array, width: number, height: number, k: number): void {
  if (k <= 0) return dst.set(src);
  const inv = 1 / (2 * k + 1);
  const last = height - 1;
  // One accumulator per column, advanced row by row: memory is read in order.
  const acc = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    let s = (k + 1) * src[x]!;
    for (let i = 1; i <= k; i++) s += src[(i < last ? i : last) * width + x]!;
    acc[x] = s;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const addRow = (y + k + 1 < last ? y + k + 1 : last) * width;
    const subRow = (y - k > 0 ? y - k : 0) * width;
    for (let x = 0; x < width; x++) {
      const s = acc[x]!;
      dst[row + x] = (s * inv + 0.5) | 0;
      acc[x] = s + src[addRow + x]! - src[subRow + x]!;
    }
  }
}

/** 255 − value. */
export function invert(mask: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = 255 - mask[i]!;
  return out;
}

/** An empty mask of the same size. */
export function clear(mask: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(mask.length);
}

/** No pixel above 0? */
export function isEmpty(mask: Uint8Array): boolean {
  // Word-at-a-time over the aligned middle: 16 MP takes a few ms.
  const start = Math.min(mask.length, (4 - (mask.byteOffset % 4)) % 4);
  for (let i = 0; i < start; i++) if (mask[i]) return false;
  const words = Math.floor((mask.length - start) / 4);
  const view = new Uint32Array(mask.buffer, mask.byteOffset + start, words);
  for (let i = 0; i < words; i++) if (view[i]) return false;
  for (let i = start + words * 4; i < mask.length; i++) if (mask[i]) return false;
  return true;
}

/** Bounds of all pixels above 0, or null for an empty mask. */
export function boundingBox(mask: Uint8Array, width: number, height: number): Rect | null {
  assertMaskSize(mask, width, height);
  let top = -1;
  for (let y = 0; y < height && top < 0; y++) if (!rowEmpty(mask, y * width, width)) top = y;
  if (top < 0) return null;
  let bottom = top;
  for (let y = height - 1; y > top; y--)
    if (!rowEmpty(mask, y * width, width)) {
      bottom = y;
      break;
    }
  let left = width;
  let right = -1;
  for (let y = top; y <= bottom; y++) {
    const row = y * width;
    for (let x = 0; x < left; x++)
      if (mask[row + x]) {
        left = x;
        break;
      }
    for (let x = width - 1; x > right; x--)
      if (mask[row + x]) {
        right = x;
        break;
      }
  }
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

function rowEmpty(mask: Uint8Array, start: number, width: number): boolean {
  for (let i = start; i < start + width; i++) if (mask[i]) return false;
  return true;
}
