import type { Nnf, Tick } from './nnf.js';
import type { PmLevel } from './pm-level.js';

export interface VoteBuffers {
  /** w*h*C weighted sums of the votes each pixel received. */
  acc: Float32Array;
  /** w*h sums of vote weights (0 = no target patch covers the pixel). */
  wsum: Float32Array;
}

/** Buffers for `level`; pass the finest level's buffers as `reuse` to vote on coarser levels without allocating. */
export function voteBuffers(level: PmLevel, reuse?: VoteBuffers): VoteBuffers {
  const n = level.w * level.h;
  if (reuse && reuse.wsum.length >= n) return { acc: reuse.acc.subarray(0, n * level.C), wsum: reuse.wsum.subarray(0, n) };
  return { acc: new Float32Array(n * level.C), wsum: new Float32Array(n) };
}

/** Per target, 1 / (Σ window weights × C): turns a patch distance into a mean squared error per value. */
export function costNormalisers(level: PmLevel, R: number): Float32Array {
  const { wt, w, C, targets } = level;
  const out = new Float32Array(targets.length);
  for (let t = 0; t < targets.length; t++) {
    const p = targets[t]!;
    let s = 0;
    for (let dy = -R; dy <= R; dy++) {
      const row = p + dy * w;
      for (let dx = -R; dx <= R; dx++) s += wt[row + dx]!;
    }
    out[t] = s > 0 ? 1 / (s * C) : 0;
  }
  return out;
}

/** A robust scale of the matches' errors: a percentile of (up to 4096 sampled) mean squared errors. */
function errorScale(nnf: Nnf, norm: Float32Array, percentile: number): number {
  const n = nnf.cost.length;
  const step = Math.max(1, Math.floor(n / 4096));
  const sample = new Float32Array(Math.ceil(n / step));
  for (let t = 0, k = 0; t < n; t += step, k++) sample[k] = nnf.cost[t]! * norm[t]!;
  sample.sort();
  return sample[Math.min(sample.length - 1, Math.floor(sample.length * percentile))] ?? 0;
}

/**
 * Reconstruction (Wexler et al.): every target patch votes its source patch's values onto all pixels it
 * covers; each target pixel becomes the weighted mean of its votes. Weights favour good matches,
 * exp(−err / 2σ²) with σ² the given percentile of all errors (uniform weights when it is 0). Pixels other
 * than targets keep their values; their vote sums stay in `buf` (the caller uses them at the border).
 */
export function vote(level: PmLevel, nnf: Nnf, norm: Float32Array, R: number, percentile: number, buf: VoteBuffers, tick: Tick): void {
  const { img, w, C, targets } = level;
  const { acc, wsum } = buf;
  acc.fill(0);
  wsum.fill(0);
  const weighted = percentile > 0;
  const sigma2 = weighted ? errorScale(nnf, norm, percentile) : 0;
  tick(0);
  const k = sigma2 > 1e-6 ? -1 / (2 * sigma2) : 0;
  const P = 2 * R + 1;
  const n = targets.length;
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    const s = nnf.src[t]!;
    // Never exactly 0: a pixel covered only by poor matches still gets their mean.
    const omega = weighted ? Math.exp(nnf.cost[t]! * norm[t]! * k) + 1e-6 : 1;
    for (let dy = -R; dy <= R; dy++) {
      let pi = p + dy * w - R;
      let a = pi * C;
      let b = (s + dy * w - R) * C;
      if (C === 3) {
        for (let kx = 0; kx < P; kx++, pi++, a += 3, b += 3) {
          wsum[pi] = wsum[pi]! + omega;
          acc[a] = acc[a]! + omega * img[b]!;
          acc[a + 1] = acc[a + 1]! + omega * img[b + 1]!;
          acc[a + 2] = acc[a + 2]! + omega * img[b + 2]!;
        }
      } else {
        for (let kx = 0; kx < P; kx++, pi++) {
          wsum[pi] = wsum[pi]! + omega;
          for (let c = 0; c < C; c++, a++, b++) acc[a] = acc[a]! + omega * img[b]!;
        }
      }
    }
    if ((t & 1023) === 1023) tick(t + 1);
  }
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    const ws = wsum[p]!;
    if (ws <= 0) continue;
    const inv = 1 / ws;
    for (let c = 0; c < C; c++) img[p * C + c] = acc[p * C + c]! * inv;
  }
  tick(n);
}
