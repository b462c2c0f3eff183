import { kmeans3 } from '../detect-text/kmeans.js';

/**
 * What the backdrop of a product photo looks like, learnt from the image border (where a product
 * shot has backdrop): its main colours (k-means in Lab; clusters with a small share of the border are
 * the product touching the edge, not backdrop) and a quadratic colour surface over the image for
 * backdrops with a gradient or vignette. distance() is a shadow-tolerant ΔE to the nearest of them.
 */
export interface BorderModel {
  /** Lab centres, 3 per colour. */
  colours: Float32Array;
  /** Quadratic surface coefficients: 6 per Lab channel (1, x, y, x², xy, y² over [-1, 1]). */
  surface: Float64Array | null;
  /** Distance of pixel `i` (Lab at lab[3i..]) to the backdrop model. */
  distance(lab: Float32Array, i: number, x: number, y: number): number;
  /** Backdrop Lab expected at (x, y) by the surface, or the main colour. */
  expected(x: number, y: number, out: Float32Array): void;
}

/** Lightness differences count less when the pixel is darker than the backdrop: soft shadows. */
export const SHADOW_L_WEIGHT = 0.4;

export function learnBorderModel(lab: Float32Array, width: number, height: number): { model: BorderModel; borderDistances: Float32Array } {
  const strip = Math.max(2, Math.round(Math.min(width, height) * 0.01));
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    const edgeRow = y < strip || y >= height - strip;
    for (let x = 0; x < width; x++) if (edgeRow || x < strip || x >= width - strip) border.push(y * width + x);
  }
  const pts = new Float32Array(border.length * 3);
  border.forEach((p, k) => pts.set(lab.subarray(p * 3, p * 3 + 3), k * 3));
  const first = median3(pts);
  const clusters = kmeans3(pts, 4, first, { sample: 6000, minSpread: 6 });
  const counts = new Int32Array(clusters.count);
  for (const l of clusters.labels) counts[l] = counts[l]! + 1;
  const keep: number[] = [];
  for (let j = 0; j < clusters.count; j++) if (counts[j]! >= 0.08 * border.length) keep.push(j);
  if (keep.length === 0) keep.push(counts.indexOf(Math.max(...counts)));
  const colours = new Float32Array(keep.length * 3);
  keep.forEach((j, k) => colours.set(clusters.centres.subarray(j * 3, j * 3 + 3), k * 3));

  const kept = new Set(keep);
  const fitIdx = border.filter((_, k) => kept.has(clusters.labels[k]!));
  const surface = fitSurface(lab, width, height, fitIdx);
  const sx = 2 / Math.max(1, width - 1);
  const sy = 2 / Math.max(1, height - 1);
  const exp = new Float32Array(3);

  const model: BorderModel = {
    colours,
    surface,
    expected(x, y, out) {
      if (!surface) {
        out.set(colours.subarray(0, 3));
        return;
      }
      const u = x * sx - 1;
      const v = y * sy - 1;
      for (let c = 0; c < 3; c++) {
        const k = c * 6;
        out[c] = surface[k]! + surface[k + 1]! * u + surface[k + 2]! * v + surface[k + 3]! * u * u + surface[k + 4]! * u * v + surface[k + 5]! * v * v;
      }
    },
    distance(labs, i, x, y) {
      const o = i * 3;
      let best = Infinity;
      for (let j = 0; j < colours.length; j += 3) best = Math.min(best, shadowDistance(labs, o, colours, j));
      if (surface) {
        model.expected(x, y, exp);
        best = Math.min(best, shadowDistance(labs, o, exp, 0));
      }
      return best;
    },
  };
  const borderDistances = new Float32Array(fitIdx.length);
  fitIdx.forEach((p, k) => (borderDistances[k] = model.distance(lab, p, p % width, Math.floor(p / width))));
  return { model, borderDistances };
}

export function shadowDistance(lab: ArrayLike<number>, o: number, ref: ArrayLike<number>, r: number): number {
  const dl = lab[o]! - ref[r]!;
  const wl = dl < 0 ? dl * SHADOW_L_WEIGHT : dl;
  const da = lab[o + 1]! - ref[r + 1]!;
  const db = lab[o + 2]! - ref[r + 2]!;
  return Math.sqrt(wl * wl + da * da + db * db);
}

function median3(pts: Float32Array): [number, number, number] {
  const n = pts.length / 3;
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = pts[i * 3 + c]!;
    v.sort();
    out[c] = v[n >> 1] ?? 0;
  }
  return out;
}

/** Least squares quadratic per Lab channel; null when the border is too small to fit it. */
function fitSurface(lab: Float32Array, width: number, height: number, idx: number[]): Float64Array | null {
  if (idx.length < 64) return null;
  const sx = 2 / Math.max(1, width - 1);
  const sy = 2 / Math.max(1, height - 1);
  const ata = new Float64Array(36);
  const atb = new Float64Array(18);
  const step = Math.max(1, Math.floor(idx.length / 20000));
  const basis = new Float64Array(6);
  for (let k = 0; k < idx.length; k += step) {
    const p = idx[k]!;
    const u = (p % width) * sx - 1;
    const v = Math.floor(p / width) * sy - 1;
    basis.set([1, u, v, u * u, u * v, v * v]);
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) ata[a * 6 + b] = ata[a * 6 + b]! + basis[a]! * basis[b]!;
      for (let c = 0; c < 3; c++) atb[c * 6 + a] = atb[c * 6 + a]! + basis[a]! * lab[p * 3 + c]!;
    }
  }
  // A little ridge keeps the system solvable when the border cannot pin every term.
  for (let a = 0; a < 6; a++) ata[a * 7] = ata[a * 7]! + 1e-3 * (idx.length / step);
  const out = new Float64Array(18);
  for (let c = 0; c < 3; c++) {
    const x = solve6(ata, atb.subarray(c * 6, c * 6 + 6));
    if (!x) return null;
    out.set(x, c * 6);
  }
  return out;
}

/** Gaussian elimination with partial pivoting on a 6×6 system. */
function solve6(a0: Float64Array, b0: Float64Array): Float64Array | null {
  const a = Float64Array.from(a0);
  const b = Float64Array.from(b0);
  for (let col = 0; col < 6; col++) {
    let piv = col;
    for (let r = col + 1; r < 6; r++) if (Math.abs(a[r * 6 + col]!) > Math.abs(a[piv * 6 + col]!)) piv = r;
    if (Math.abs(a[piv * 6 + col]!) < 1e-12) return null;
    if (piv !== col) {
      for (let k = 0; k < 6; k++) [a[col * 6 + k], a[piv * 6 + k]] = [a[piv * 6 + k]!, a[col * 6 + k]!];
      [b[col], b[piv]] = [b[piv]!, b[col]!];
    }
    for (let r = col + 1; r < 6; r++) {
      const f = a[r * 6 + col]! / a[col * 6 + col]!;
      for (let k = col; k < 6; k++) a[r * 6 + k] = a[r * 6 + k]! - f * a[col * 6 + k]!;
      b[r] = b[r]! - f * b[col]!;
    }
  }
  const x = new Float64Array(6);
  for (let r = 5; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < 6; k++) s -= a[r * 6 + k]! * x[k]!;
    x[r] = s / a[r * 6 + r]!;
  }
  return x;
}
