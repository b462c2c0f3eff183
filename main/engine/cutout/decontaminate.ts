import { gaussianBlur } from '../compose/raster/blur.js';
import { distanceTo } from '../compose/raster/distance.js';

/**
 * Foreground colours for a matte (defringe): a semi-transparent edge pixel of the photo is a mix
 * I = αF + (1 − α)B of the product's colour F and the old background B. B and the product's inner
 * colour are estimated locally (normalised convolution of the clearly-background and clearly-product
 * pixels around it, a wider window where a narrow one has none), then F = (I − (1 − α)B) / α, leaning
 * on the inner colour where α is small and that solution is unreliable. Opaque pixels on the rim get
 * the same treatment by how much background their colour still carries. Fully transparent pixels take
 * the inner colour, so a viewer that scales straight alpha shows no dark or white fringe either.
 */
export function decontaminate(rgb: Uint8Array, alpha: Float32Array, width: number, height: number, isCancelled: () => boolean = () => false): Uint8Array {
  const n = width * height;
  const side = Math.min(width, height);
  const interior = distanceTo(width, height, (i) => alpha[i]! <= 0.98);
  const bg = localMeans(rgb, width, height, (i) => alpha[i]! < 0.02, side);
  if (isCancelled()) return rgb;
  const fg = localMeans(rgb, width, height, (i) => interior[i]! >= 2, side);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = alpha[i]!;
    const o = i * 3;
    const I0 = rgb[o]!;
    const I1 = rgb[o + 1]!;
    const I2 = rgb[o + 2]!;
    const F0 = fg[o]!;
    const F1 = fg[o + 1]!;
    const F2 = fg[o + 2]!;
    if (a < 0.02) {
      out[o] = F0;
      out[o + 1] = F1;
      out[o + 2] = F2;
      continue;
    }
    const B0 = bg[o]!;
    const B1 = bg[o + 1]!;
    const B2 = bg[o + 2]!;
    if (a > 0.98) {
      if (interior[i]! >= 2) {
        out[o] = I0;
        out[o + 1] = I1;
        out[o + 2] = I2;
        continue;
      }
      // Rim pixel: how far its colour sits from the inner colour toward the background.
      const d0 = F0 - B0;
      const d1 = F1 - B1;
      const d2 = F2 - B2;
      const dd = d0 * d0 + d1 * d1 + d2 * d2;
      const beta = dd > 100 ? clamp01(((I0 - B0) * d0 + (I1 - B1) * d1 + (I2 - B2) * d2) / dd) : 1;
      const k = 1 - beta;
      out[o] = I0 + (F0 - I0) * k;
      out[o + 1] = I1 + (F1 - I1) * k;
      out[o + 2] = I2 + (F2 - I2) * k;
      continue;
    }
    const inv = 1 / a;
    const S0 = clamp255((I0 - (1 - a) * B0) * inv);
    const S1 = clamp255((I1 - (1 - a) * B1) * inv);
    const S2 = clamp255((I2 - (1 - a) * B2) * inv);
    const t = smoothstep(0.15, 0.6, a);
    out[o] = S0 * t + F0 * (1 - t);
    out[o + 1] = S1 * t + F1 * (1 - t);
    out[o + 2] = S2 * t + F2 * (1 - t);
  }
  return out;
}

/**
 * Per pixel, the mean colour of the nearby pixels selected by `pick` (RGB floats): a narrow window,
 * then a wide one where the narrow has too little weight, then the global mean. Sums are gathered on
 * grids (cells of f×f pixels, at most ~¼ MP; 4× coarser for the wide window): means are smooth, and a
 * 24 MP photo then needs no full-size float planes.
 */
export function localMeans(rgb: Uint8Array, width: number, height: number, pick: (i: number) => boolean, side: number): Float32Array {
  const n = width * height;
  const f = Math.max(1, Math.ceil(Math.sqrt(n / 250_000)));
  const narrow = new Grid(width, height, f);
  const wide = new Grid(width, height, f * 4);
  let tr = 0;
  let tg = 0;
  let tb = 0;
  let tn = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!pick(i)) continue;
      const r = rgb[i * 3]!;
      const g = rgb[i * 3 + 1]!;
      const b = rgb[i * 3 + 2]!;
      narrow.add(x, y, r, g, b);
      wide.add(x, y, r, g, b);
      tr += r;
      tg += g;
      tb += b;
      tn++;
    }
  }
  const global = tn > 0 ? [tr / tn, tg / tn, tb / tn] : [128, 128, 128];
  narrow.blur(Math.max(1.5, side / 150));
  wide.blur(Math.max(6, side / 20));
  const out = new Float32Array(n * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      // At least 2 % of the narrow window selected, else 0.01 % of the wide one, else the global mean.
      if (narrow.sample(x, y, out, o, 0.02) || wide.sample(x, y, out, o, 1e-4)) continue;
      out[o] = global[0]!;
      out[o + 1] = global[1]!;
      out[o + 2] = global[2]!;
    }
  }
  return out;
}

/** Colour sums and counts on cells of f×f pixels, blurred, sampled bilinearly. */
class Grid {
  readonly w: number;
  readonly h: number;
  readonly cells: Float32Array;
  constructor(
    width: number,
    height: number,
    readonly f: number,
  ) {
    this.w = Math.ceil(width / f);
    this.h = Math.ceil(height / f);
    this.cells = new Float32Array(this.w * this.h * 4);
  }

  add(x: number, y: number, r: number, g: number, b: number): void {
    const c = (Math.floor(y / this.f) * this.w + Math.floor(x / this.f)) * 4;
    const a = this.cells;
    a[c] = a[c]! + r;
    a[c + 1] = a[c + 1]! + g;
    a[c + 2] = a[c + 2]! + b;
    a[c + 3] = a[c + 3]! + 1;
  }

  blur(sigmaPx: number): void {
    gaussianBlur(this.cells, this.w, this.h, 4, Math.max(0.5, sigmaPx / this.f));
  }

  /** Writes the mean colour at pixel (x, y) when the selected share there is ≥ `minShare`. */
  sample(x: number, y: number, out: Float32Array, o: number, minShare: number): boolean {
    const { w, h, f, cells: a } = this;
    const gx = Math.max(0, Math.min(w - 1, (x + 0.5) / f - 0.5));
    const gy = Math.max(0, Math.min(h - 1, (y + 0.5) / f - 0.5));
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const x1 = x0 + 1 < w ? x0 + 1 : x0;
    const y1 = y0 + 1 < h ? y0 + 1 : y0;
    const tx = gx - x0;
    const ty = gy - y0;
    const w00 = (1 - tx) * (1 - ty);
    const w01 = tx * (1 - ty);
    const w10 = (1 - tx) * ty;
    const w11 = tx * ty;
    const p = (y0 * w + x0) * 4;
    const q = (y0 * w + x1) * 4;
    const r = (y1 * w + x0) * 4;
    const s = (y1 * w + x1) * 4;
    const wt = a[p + 3]! * w00 + a[q + 3]! * w01 + a[r + 3]! * w10 + a[s + 3]! * w11;
    // Counts are per cell (up to f² pixels).
    if (!(wt > minShare * f * f)) return false;
    const inv = 1 / wt;
    out[o] = (a[p]! * w00 + a[q]! * w01 + a[r]! * w10 + a[s]! * w11) * inv;
    out[o + 1] = (a[p + 1]! * w00 + a[q + 1]! * w01 + a[r + 1]! * w10 + a[s + 1]! * w11) * inv;
    out[o + 2] = (a[p + 2]! * w00 + a[q + 2]! * w01 + a[r + 2]! * w10 + a[s + 2]! * w11) * inv;
    return true;
  }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}
