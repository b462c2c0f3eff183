import { patchDistance } from './patch-distance.js';
import type { PmLevel } from './pm-level.js';
import type { Sources } from './sources.js';

/** Nearest-neighbour field: for target t (index into level.targets), the source centre and its distance. */
export interface Nnf {
  src: Int32Array;
  cost: Float32Array;
}

/** Called every few hundred targets with the number of targets processed so far in this pass. */
export type Tick = (done: number) => void;
const TICK_EVERY = 256;

/** Random source for every target (PatchMatch's initialisation), drawn from known patches only. */
export function randomNnf(level: PmLevel, sources: Sources, rand: () => number): Nnf {
  const n = level.targets.length;
  const src = new Int32Array(n);
  const list = sources.list;
  for (let t = 0; t < n; t++) src[t] = list[rand() % list.length]!;
  return { src, cost: new Float32Array(n) };
}

/**
 * Initial field of a finer level from the coarser one: each fine target takes its coarse parent's match,
 * scaled ×2 with the same sub-pixel phase, falling back to a neighbour of it or a random source.
 */
export function upsampleNnf(coarse: PmLevel, cnnf: Nnf, fine: PmLevel, sources: Sources, rand: () => number): Nnf {
  const { w, pad, targets } = fine;
  const { w: cw, pad: cpad, tIndex: ctIndex } = coarse;
  const { valid, list } = sources;
  const n = targets.length;
  const src = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    const fy = ((p / w) | 0) - pad;
    const fx = p - (fy + pad) * w - pad;
    const ct = ctIndex[((fy >> 1) + cpad) * cw + (fx >> 1) + cpad]!;
    let pick = -1;
    if (ct >= 0) {
      const cs = cnnf.src[ct]!;
      const sy = ((cs / cw) | 0) - cpad;
      const sx = cs - (sy + cpad) * cw - cpad;
      const base = (2 * sy + pad) * w + 2 * sx + pad;
      const phased = base + (fy & 1) * w + (fx & 1);
      if (valid[phased]) pick = phased;
      else if (valid[base]) pick = base;
    }
    src[t] = pick >= 0 ? pick : list[rand() % list.length]!;
  }
  return { src, cost: new Float32Array(n) };
}

/** Exact distances of the current field (after the image changed). */
export function refreshCosts(level: PmLevel, nnf: Nnf, R: number, tick: Tick): void {
  const { img, wt, C, w, targets } = level;
  const n = targets.length;
  for (let t = 0; t < n; t++) {
    nnf.cost[t] = patchDistance(img, wt, C, w, R, targets[t]!, nnf.src[t]!, Infinity);
    if ((t & 1023) === 1023) tick(t + 1);
  }
  tick(n);
}

/**
 * PatchMatch iterations: alternating raster / reverse-raster scans; each target tries its neighbours'
 * matches shifted by one (propagation), then random candidates around its best in windows halving from
 * `searchRadius` (random search). Only valid sources are ever accepted.
 */
export function improveNnf(
  level: PmLevel,
  sources: Sources,
  nnf: Nnf,
  R: number,
  iterations: number,
  searchRadius: number,
  rand: () => number,
  tick: Tick,
): void {
  const { img, wt, C, w, h, targets, tIndex } = level;
  const { valid } = sources;
  const { src, cost } = nnf;
  const n = targets.length;
  let done = 0;
  for (let it = 0; it < iterations; it++) {
    const forward = (it & 1) === 0;
    const step = forward ? 1 : -1;
    const dn = forward ? -1 : 1; // neighbour already visited in this scan: left/up, or right/down
    for (let k = 0; k < n; k++) {
      const t = forward ? k : n - 1 - k;
      const p = targets[t]!;
      let best = src[t]!;
      let bestCost = cost[t]!;
      // Propagation from the horizontal and vertical neighbour visited just before.
      const th = tIndex[p + dn]!;
      if (th >= 0) {
        const c = src[th]! + step;
        if (c !== best && valid[c]) {
          const d = patchDistance(img, wt, C, w, R, p, c, bestCost);
          if (d < bestCost) {
            best = c;
            bestCost = d;
          }
        }
      }
      const tv = tIndex[p + dn * w]!;
      if (tv >= 0) {
        const c = src[tv]! + step * w;
        if (c !== best && valid[c]) {
          const d = patchDistance(img, wt, C, w, R, p, c, bestCost);
          if (d < bestCost) {
            best = c;
            bestCost = d;
          }
        }
      }
      // Random search around the current best.
      for (let rad = searchRadius; rad >= 1; rad >>= 1) {
        const by = (best / w) | 0;
        const bx = best - by * w;
        const span = 2 * rad + 1;
        let cx = bx - rad + (rand() % span);
        let cy = by - rad + (rand() % span);
        if (cx < 0) cx = 0;
        else if (cx >= w) cx = w - 1;
        if (cy < 0) cy = 0;
        else if (cy >= h) cy = h - 1;
        const c = cy * w + cx;
        if (c === best || !valid[c]) continue;
        const d = patchDistance(img, wt, C, w, R, p, c, bestCost);
        if (d < bestCost) {
          best = c;
          bestCost = d;
        }
      }
      src[t] = best;
      cost[t] = bestCost;
      if (++done % TICK_EVERY === 0) tick(done);
    }
  }
  tick(done);
}
